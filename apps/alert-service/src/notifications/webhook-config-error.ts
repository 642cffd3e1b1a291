/** One problem found in webhook target configuration. */
export interface WebhookConfigIssue {
  /** Dotted path of the offending field, e.g. `[1].url`; `''` for the whole value. */
  readonly field: string;
  /** What is wrong and what was expected; never contains the value itself (it may be a secret). */
  readonly message: string;
}

/**
 * Webhook target configuration that does not validate, thrown by `parseWebhookTargets` and
 * the `NotificationDispatcher` constructor. Callers test `code`, not the message.
 */
export class WebhookConfigError extends Error {
  /** Stable code of every webhook configuration error. */
  readonly code = 'ERR_WEBHOOK_CONFIG';
  /** Every problem found. */
  readonly issues: readonly WebhookConfigIssue[];

  /**
   * @param source what was parsed, e.g. `ALERT_WEBHOOKS`, prefixed to each field
   * @param issues every problem found (at least one)
   */
  constructor(source: string, issues: readonly WebhookConfigIssue[]) {
    const summary = issues.map((issue) => `${source}${issue.field ? (issue.field.startsWith('[') ? '' : '.') + issue.field : ''}: ${issue.message}`);
    super(`invalid webhook targets: ${summary.join('; ')}`);
    this.name = 'WebhookConfigError';
    this.issues = issues;
  }
}
