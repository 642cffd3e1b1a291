import type { AlertChange } from '../alerts';

/**
 * The JSON body of a delivery: the alert change without its stream id. `alert` is the full
 * record after the change (times in epoch ms, as on the `alerts` stream); `at` is when the
 * change happened, epoch ms.
 */
export type WebhookPayload = Pick<AlertChange, 'type' | 'alert' | 'actor' | 'at'>;

/** The payload of a change, with exactly the fields receivers get. */
export function webhookPayload(change: AlertChange): WebhookPayload {
  return { type: change.type, alert: change.alert, actor: change.actor, at: change.at };
}
