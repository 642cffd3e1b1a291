import type { z } from 'zod';
import { formatFieldPath } from '../rules';
import { WebhookConfigError, type WebhookConfigIssue } from './webhook-config-error';
import { webhookTargetsSchema, type WebhookTarget } from './webhook-target';

/** Options of {@link parseWebhookTargets}. */
export interface ParseWebhookTargetsOptions {
  /** Name of what is parsed, used in error messages (default `ALERT_WEBHOOKS`). */
  source?: string;
}

/** Turns zod issues into field issues; an unknown key becomes one issue at that key's path. */
export function webhookConfigIssues(error: z.ZodError): WebhookConfigIssue[] {
  const issues: WebhookConfigIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ field: formatFieldPath([...path, key]), message: 'unknown field' });
    } else {
      issues.push({ field: formatFieldPath(path), message: issue.message });
    }
  }
  return issues;
}

/**
 * Validates an already decoded list of targets (e.g. from code or a config file).
 * @throws WebhookConfigError (code `ERR_WEBHOOK_CONFIG`) naming every bad field
 */
export function validateWebhookTargets(input: unknown, source = 'targets'): WebhookTarget[] {
  const result = webhookTargetsSchema.safeParse(input);
  if (!result.success) throw new WebhookConfigError(source, webhookConfigIssues(result.error));
  return result.data;
}

/**
 * Parses webhook targets from JSON text, e.g. the `ALERT_WEBHOOKS` environment variable:
 * `[{"name":"ops","url":"https://hooks.example/alerts","secret":"…","severities":["S2","S3"]}]`.
 * Blank text means no targets. Pure: no I/O, no environment reads.
 *
 * Error messages name the field (`ALERT_WEBHOOKS[0].url: must be an absolute http:// or
 * https:// URL`) and never echo the value, so a secret cannot leak through a bad config.
 * @throws WebhookConfigError (code `ERR_WEBHOOK_CONFIG`) listing every issue with its field
 */
export function parseWebhookTargets(json: string, options: ParseWebhookTargetsOptions = {}): WebhookTarget[] {
  const source = options.source ?? 'ALERT_WEBHOOKS';
  if (json.trim() === '') return [];
  let input: unknown;
  try {
    input = JSON.parse(json);
  } catch {
    // JSON.parse messages quote the text around the error, which may be a secret: say only what is expected.
    throw new WebhookConfigError(source, [{ field: '', message: 'is not valid JSON; expected a JSON array of targets' }]);
  }
  if (!Array.isArray(input)) {
    throw new WebhookConfigError(source, [{ field: '', message: 'expected a JSON array of targets' }]);
  }
  return validateWebhookTargets(input, source);
}
