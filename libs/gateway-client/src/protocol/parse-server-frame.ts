import type { ServerFrame } from './server-frames';
import { isStreamId } from './stream-id';

/** What {@link parseServerFrame} made of a text frame. */
export type ParsedServerFrame =
  | { readonly kind: 'frame'; readonly frame: ServerFrame }
  /** A well-formed frame of a type this client does not know: ignore it (protocol compatibility rule). */
  | { readonly kind: 'unknown'; readonly type: string }
  /** Not JSON, not an object, or a known type with missing fields. */
  | { readonly kind: 'invalid'; readonly reason: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString);

// The fields each known frame type must carry for this client to act on it; extra fields are ignored.
const CHECKS: Readonly<Record<ServerFrame['type'], (frame: Json) => string | undefined>> = {
  welcome: (f) =>
    !isObject(f['session']) || !isString(f['session']['id'])
      ? 'session.id'
      : !isNumber(f['expiresAt'])
        ? 'expiresAt'
        : undefined,
  authenticated: (f) => (!isNumber(f['expiresAt']) ? 'expiresAt' : undefined),
  subscribed: (f) =>
    !Array.isArray(f['channels']) || !f['channels'].every((c) => isObject(c) && isString(c['channel']) && typeof c['recovered'] === 'boolean')
      ? 'channels'
      : undefined,
  unsubscribed: (f) => (!isStringArray(f['channels']) ? 'channels' : undefined),
  event: (f) =>
    !isString(f['channel']) ? 'channel' : !isStreamId(f['id']) ? 'id' : !isObject(f['event']) ? 'event' : undefined,
  error: (f) => (!isString(f['code']) ? 'code' : undefined),
  pong: () => undefined,
  token_expiring: (f) => (!isNumber(f['expiresAt']) ? 'expiresAt' : undefined),
};

/**
 * Parses one text frame from the gateway. Never throws: frames of unknown types are reported
 * as `unknown` (clients must ignore them), malformed ones as `invalid` with the field at fault.
 */
export function parseServerFrame(text: string): ParsedServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  if (!isObject(value)) return { kind: 'invalid', reason: 'not a JSON object' };
  const type = value['type'];
  if (!isString(type)) return { kind: 'invalid', reason: 'type: missing' };
  if (!Object.prototype.hasOwnProperty.call(CHECKS, type)) return { kind: 'unknown', type };
  const missing = CHECKS[type as ServerFrame['type']](value);
  if (missing !== undefined) return { kind: 'invalid', reason: `${type}: ${missing} missing or invalid` };
  return { kind: 'frame', frame: value as unknown as ServerFrame };
}
