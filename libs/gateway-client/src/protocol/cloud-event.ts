/**
 * A CloudEvents 1.0 event in structured JSON form, as carried by `event` frames
 * (docs/protocol.md, "Events"). `data` is the JSON payload of the event `type`.
 */
export interface CloudEvent<T = unknown> {
  /** Always `1.0`. */
  readonly specversion: string;
  /** Unique per event (the producer's idempotency key); not the stream position. */
  readonly id: string;
  /** The producer, e.g. `/pricing-job`. */
  readonly source: string;
  /** The event type, e.g. `price_update`, `system_status`, `alert.raised`. */
  readonly type: string;
  /** When it happened, RFC 3339. */
  readonly time: string;
  /** What it is about: a symbol, portfolio id, service name or alert id. */
  readonly subject?: string;
  /** `application/json`. */
  readonly datacontenttype?: string;
  /** The payload. */
  readonly data: T;
}
