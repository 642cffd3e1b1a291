import { randomUUID } from 'node:crypto';

/**
 * A CloudEvents 1.0 event as it travels on the platform's streams (shared/DESIGN.md): on the
 * wire each attribute is one stream field and `data` is JSON text (see `encodeEvent`).
 */
export interface CloudEvent<T = unknown> {
  /** Always `1.0`. */
  specversion: '1.0';
  /** Unique per event: consumers use it as the idempotency key. */
  id: string;
  /** The producer, e.g. `/alert-service` or `/pricing-job`. */
  source: string;
  /** The event type, e.g. `price_update` (see `EVENT_TYPES`). */
  type: string;
  /** When it happened, RFC 3339. */
  time: string;
  /** What it is about: a symbol, portfolio id, alert id or service name. */
  subject?: string;
  /** Always `application/json`: `data` is JSON. */
  datacontenttype: 'application/json';
  /** The payload, valid against the schema of `type`. */
  data: T;
}

/** Input of {@link createEvent}. */
export interface CreateEventInput<T> {
  /** The event type. */
  type: string;
  /** The producer, e.g. `/alert-service`. */
  source: string;
  /** The payload. */
  data: T;
  /** What it is about (default: none). */
  subject?: string;
  /** Event id (default: a new random UUID). */
  id?: string;
  /** RFC 3339 time (default: now). */
  time?: string;
}

/** Builds a CloudEvent with a fresh id and the current time unless given. Does not validate. */
export function createEvent<T>(input: CreateEventInput<T>): CloudEvent<T> {
  const event: CloudEvent<T> = {
    specversion: '1.0',
    id: input.id ?? randomUUID(),
    source: input.source,
    type: input.type,
    time: input.time ?? new Date().toISOString(),
    datacontenttype: 'application/json',
    data: input.data,
  };
  if (input.subject !== undefined) event.subject = input.subject;
  return event;
}
