import type { CloudEvent } from './cloud-event';
import type { DecodeResult } from './decode-result';
import { EVENT_SCHEMAS } from './event-schemas';
import { validateEvent } from './validate-event';

/** Envelope attributes that must be present in every entry. */
const REQUIRED_FIELDS = ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'] as const;

/** Every envelope attribute a stream entry may carry; other fields are ignored on decode. */
export const ENVELOPE_FIELDS: readonly string[] = [...REQUIRED_FIELDS, 'subject'];

/**
 * The entry fields of an event for XADD: flat field/value pairs, `data` as JSON text,
 * `subject` only when set.
 */
export function encodeEvent(event: CloudEvent): string[] {
  const fields = [
    'specversion', event.specversion,
    'id', event.id,
    'source', event.source,
    'type', event.type,
    'time', event.time,
  ];
  if (event.subject !== undefined) fields.push('subject', event.subject);
  fields.push('datacontenttype', event.datacontenttype, 'data', JSON.stringify(event.data));
  return fields;
}

/** Options of {@link decodeEntry}. */
export interface DecodeEntryOptions {
  /** Validate the envelope and the payload against their JSON Schemas (default true). */
  validate?: boolean;
  /**
   * The event types the stream may carry (e.g. `STREAMS.market_data.types`); an entry of
   * another type is refused with reason `event type "X" does not belong on this stream (it
   * carries a, b)`, whether or not it validates. Checked even when `validate` is false.
   * Default: any known type (any type at all when `validate` is false).
   */
  types?: readonly string[];
}

/**
 * Turns the fields of a stream entry (as XREADGROUP returns them) back into an event.
 * Refuses an odd field list, a missing envelope field, a type outside `types` (when given),
 * `data` that is not JSON and, when validating, anything its schemas reject or an unknown
 * type. Unknown fields are ignored. Never throws.
 */
export function decodeEntry<T = unknown>(fields: readonly string[], options: DecodeEntryOptions = {}): DecodeResult<T> {
  if (fields.length % 2 !== 0) return { ok: false, reason: 'entry has an odd number of field/value items' };
  const values = new Map<string, string>();
  for (let i = 0; i < fields.length; i += 2) {
    if (ENVELOPE_FIELDS.includes(fields[i])) values.set(fields[i], fields[i + 1]);
  }
  const missing = REQUIRED_FIELDS.filter((name) => !values.has(name));
  if (missing.length > 0) return { ok: false, reason: `missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  const type = values.get('type') as string;
  if (options.types !== undefined && !options.types.includes(type)) {
    if (!Object.hasOwn(EVENT_SCHEMAS, type)) return { ok: false, reason: `unknown event type "${type}"` };
    return { ok: false, reason: `event type "${type}" does not belong on this stream (it carries ${options.types.join(', ') || 'no type'})` };
  }
  let data: unknown;
  try {
    data = JSON.parse(values.get('data') as string);
  } catch (error) {
    return { ok: false, reason: `data is not valid JSON: ${(error as Error).message}` };
  }
  const event: Record<string, unknown> = Object.fromEntries(values);
  event['data'] = data;
  if (options.validate === false) return { ok: true, event: event as unknown as CloudEvent<T> };
  return validateEvent<T>(event);
}
