/** One problem found in a rule definition. */
export interface RuleValidationIssue {
  /** Dotted path of the offending field, e.g. `severities.S2` or `[1].symbol` in a list; `''` for the whole rule. */
  readonly field: string;
  /** The same path as segments, e.g. `['severities', 'S2']`. */
  readonly path: readonly (string | number)[];
  /** What is wrong and what was expected. */
  readonly message: string;
}

/**
 * A rule definition that does not validate: thrown by `parseRuleDefinition` and
 * `parseRuleDefinitions`. `issues` lists every problem with its field, so the REST API can
 * answer 400 `application/problem+json` naming each field. Callers test `code`, not the message.
 */
export class RuleValidationError extends Error {
  /** Stable code of every rule validation error. */
  readonly code = 'ERR_RULE_INVALID';
  /** Every problem found, in the order the validator met them. */
  readonly issues: readonly RuleValidationIssue[];

  /** @param issues every problem found (at least one) */
  constructor(issues: readonly RuleValidationIssue[]) {
    const summary = issues.map((issue) => (issue.field ? `${issue.field}: ${issue.message}` : issue.message)).join('; ');
    super(`invalid rule definition: ${summary}`);
    this.name = 'RuleValidationError';
    this.issues = issues;
  }
}

/** Formats path segments as a field name: `['severities', 'S2']` → `severities.S2`, `[1, 'id']` → `[1].id`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let field = '';
  for (const segment of path) {
    if (typeof segment === 'number') field += `[${segment}]`;
    else field += field ? `.${String(segment)}` : String(segment);
  }
  return field;
}
