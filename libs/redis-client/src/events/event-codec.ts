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
 * type. Unknown fields are ignored; of a repeated field the last value counts. Never throws.
 * Runs once per consumed entry: it reads the fields in one pass into the event itself.
 */
export function decodeEntry<T = unknown>(fields: readonly string[], options: DecodeEntryOptions = {}): DecodeResult<T> {
  if (fields.length % 2 !== 0) return { ok: false, reason: 'entry has an odd number of field/value items' };
  let specversion: string | undefined;
  let id: string | undefined;
  let source: string | undefined;
  let type: string | undefined;
  let time: string | undefined;
  let subject: string | undefined;
  let datacontenttype: string | undefined;
  let data: string | undefined;
  for (let i = 0; i < fields.length; i += 2) {
    const value = fields[i + 1];
    switch (fields[i]) {
      case 'specversion': specversion = value; break;
      case 'id': id = value; break;
      case 'source': source = value; break;
      case 'type': type = value; break;
      case 'time': time = value; break;
      case 'subject': subject = value; break;
      case 'datacontenttype': datacontenttype = value; break;
      case 'data': data = value; break;
    }
  }
  if (specversion === undefined || id === undefined || source === undefined || type === undefined || time === undefined || datacontenttype === undefined || data === undefined) {
    const present: Record<string, string | undefined> = { specversion, id, source, type, time, datacontenttype, data };
    const missing = REQUIRED_FIELDS.filter((name) => present[name] === undefined);
    return { ok: false, reason: `missing field${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  }
  if (options.types !== undefined && !options.types.includes(type)) {
    if (!Object.hasOwn(EVENT_SCHEMAS, type)) return { ok: false, reason: `unknown event type "${type}"` };
    return { ok: false, reason: `event type "${type}" does not belong on this stream (it carries ${options.types.join(', ') || 'no type'})` };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch (error) {
    return { ok: false, reason: `data is not valid JSON: ${(error as Error).message}` };
  }
  // Checked by the envelope schema below (or trusted without validation, as before).
  const event = (subject === undefined
    ? { specversion, id, source, type, time, datacontenttype, data: payload }
    : { specversion, id, source, type, time, subject, datacontenttype, data: payload }) as unknown as CloudEvent<T>;
  if (options.validate === false) return { ok: true, event };
  return validateEvent<T>(event);
}
