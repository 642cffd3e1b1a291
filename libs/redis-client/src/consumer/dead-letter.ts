/** Why an entry went to the dead-letter stream. */
export type DeadLetterReason =
  /** It failed decoding or schema validation, or its type does not belong on the stream (never handled). */
  | 'invalid'
  /** Its handler failed on every one of `maxDeliveries` deliveries. */
  | 'max-deliveries';

/** What the runner's `dead-letter` event carries. */
export interface DeadLetterNotice {
  /** Stream the entry came from. */
  stream: string;
  /** Its id in that stream. */
  id: string;
  /** Consumer group that gave up on it. */
  group: string;
  reason: DeadLetterReason;
  /**
   * The decode/validation reason (e.g. `event type "alert.raised" does not belong on this
   * stream (it carries price_update)`) or the handler's last error message.
   */
  error: string;
  /** Deliveries so far. */
  deliveries: number;
  /** Id of the copy in the dead-letter stream. */
  deadLetterId: string;
}

/** Longest `dlq_error` kept; handler messages can be huge (stack traces, payload dumps). */
const MAX_ERROR_LENGTH = 2_000;

/**
 * Fields of a dead-letter entry: the original fields (when the entry still exists) followed
 * by `dlq_reason`, `dlq_error`, `dlq_stream`, `dlq_id`, `dlq_group`, `dlq_deliveries`, `dlq_time`.
 */
export function deadLetterFields(
  original: readonly string[] | null,
  notice: Omit<DeadLetterNotice, 'deadLetterId'>,
  now: Date = new Date(),
): string[] {
  const error = notice.error.length > MAX_ERROR_LENGTH ? `${notice.error.slice(0, MAX_ERROR_LENGTH)}…` : notice.error;
  return [
    ...(original ?? []),
    'dlq_reason', notice.reason,
    'dlq_error', error,
    'dlq_stream', notice.stream,
    'dlq_id', notice.id,
    'dlq_group', notice.group,
    'dlq_deliveries', String(notice.deliveries),
    'dlq_time', now.toISOString(),
  ];
}

/** The message of anything thrown, for logs and `dlq_error`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}
