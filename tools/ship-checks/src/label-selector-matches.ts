/** A Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  /** Labels that must all be present with these values. */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** Set-based requirements: In, NotIn, Exists, DoesNotExist. */
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] }[];
}

/**
 * Whether `labels` satisfy `selector`, as the API server decides it: every matchLabels pair and
 * every expression must hold; an empty selector matches everything, a missing one nothing.
 */
export function labelSelectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>> = {}): boolean {
  if (!selector) return false;
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key] ?? '');
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key] ?? '');
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        return false;
    }
  });
  return pairs && expressions;
}
