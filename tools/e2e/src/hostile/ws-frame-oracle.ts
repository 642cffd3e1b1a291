/**
 * What docs/protocol.md promises for one client frame, written from the document alone (not
 * from the gateway's code), so the fuzzer can judge the gateway's answer.
 */

/** One frame as sent on the wire. */
export interface WireFrame {
  /** Text (sent as a text frame) or bytes (sent as a binary frame, or as a text frame when `binary` is false). */
  readonly data: string | Uint8Array;
  /** Send as a binary frame. */
  readonly binary: boolean;
}

/** A valid request id (docs "Request ids"). */
export type RequestId = string | number;

/** The reply a frame must get (after `ping` replies are matched by `pong`). */
export type ExpectedReply =
  /** An `error` frame with one of `codes`, carrying `id` (or none when `id` is undefined); `close` when the connection must then close. */
  | { readonly type: 'error'; readonly codes: readonly string[]; readonly id: RequestId | undefined; readonly close?: number }
  /** A `pong`, `subscribed` or `unsubscribed` reply with this `id`. */
  | { readonly type: 'pong' | 'subscribed' | 'unsubscribed'; readonly id: RequestId | undefined };

/** The connection a frame is judged on. */
export interface OracleContext {
  /** Whether the connection completed its first `auth`. */
  readonly authenticated: boolean;
  /** The exact channels its token grants (the fuzzer's tokens hold only exact grants). */
  readonly granted: ReadonlySet<string>;
  /** `welcome.limits.maxFrameBytes` (default 65 536). */
  readonly maxFrameBytes: number;
}

const OPS = new Set(['auth', 'subscribe', 'unsubscribe', 'ping']);
const STREAMS = new Set(['market_data', 'portfolio_updates', 'risk_events', 'alerts']);
const MAX_U64 = 18_446_744_073_709_551_615n;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** "a string of 1 to 64 characters or a non-negative integer (at most 2^53 − 1)". */
export function isRequestId(value: unknown): value is RequestId {
  if (typeof value === 'string') return value.length >= 1 && value.length <= 64;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER;
}

/** "`<milliseconds>-<sequence>`, two unsigned 64-bit decimals without leading zeros". */
export function isStreamId(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = /^(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$/.exec(value);
  return match !== null && BigInt(match[1] as string) <= MAX_U64 && BigInt(match[2] as string) <= MAX_U64;
}

/** The channel error of `name`, or its canonical name ("Channels": syntax, subject rules, known streams). */
export function checkChannel(name: unknown): { ok: true; name: string } | { ok: false; codes: string[] } {
  if (typeof name !== 'string' || name.length === 0) return { ok: false, codes: ['invalid_channel'] };
  const cut = name.indexOf(':');
  const stream = cut === -1 ? name : name.slice(0, cut);
  const subject = cut === -1 ? undefined : name.slice(cut + 1);
  const codes: string[] = [];
  if (subject !== undefined && !(subject.length >= 1 && subject.length <= 256 && /^[^\s*\p{Cc}]+$/u.test(subject))) codes.push('invalid_channel');
  if (!STREAMS.has(stream)) codes.push('unknown_channel');
  // A name too long to be any channel may be refused as malformed before its stream is read.
  if (codes.includes('unknown_channel') && name.length > 274) codes.push('invalid_channel');
  return codes.length === 0 ? { ok: true, name } : { ok: false, codes };
}

function error(codes: string[], id: RequestId | undefined, close?: number): ExpectedReply {
  return close === undefined ? { type: 'error', codes, id } : { type: 'error', codes, id, close };
}

/** The byte length and text of a frame; `undefined` text when it is not UTF-8. */
function decode(frame: WireFrame): { bytes: number; text: string | undefined } {
  // A string goes out UTF-8 encoded: a lone surrogate becomes U+FFFD on the wire.
  if (typeof frame.data === 'string') {
    const bytes = Buffer.from(frame.data, 'utf8');
    return { bytes: bytes.length, text: bytes.toString('utf8') };
  }
  try {
    return { bytes: frame.data.byteLength, text: UTF8.decode(frame.data) };
  } catch {
    return { bytes: frame.data.byteLength, text: undefined };
  }
}

/**
 * The documented answer to `frame` (sections Frames, Request ids, Authentication, Subscribing,
 * Limits, Error codes). Where one frame has several defects and the document does not order
 * them, every code one of its defects calls for is accepted.
 */
export function expectedReply(frame: WireFrame, context: OracleContext): ExpectedReply {
  // Limits: "frame type: text only → binary_not_supported"; "inbound frame size → frame_too_large".
  if (frame.binary) return error(['binary_not_supported'], undefined);
  const { bytes, text } = decode(frame);
  if (bytes > context.maxFrameBytes) return error(['frame_too_large'], undefined);
  // "invalid_json: the frame is not valid JSON (or not valid UTF-8)".
  let value: unknown;
  try {
    if (text === undefined) return error(['invalid_json'], undefined);
    value = JSON.parse(text);
  } catch {
    return error(['invalid_json'], undefined);
  }
  // "invalid_frame: valid JSON but not an object, an invalid id, no op".
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return error(['invalid_frame'], undefined);
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, 'id') && !isRequestId(record['id'])) return error(['invalid_frame'], undefined);
  const id = Object.hasOwn(record, 'id') ? (record['id'] as RequestId) : undefined;
  const op = record['op'];
  if (typeof op !== 'string') return error(['invalid_frame'], id);
  if (!OPS.has(op)) return error(['unknown_op'], id);
  switch (op) {
    case 'ping':
      return { type: 'pong', id };
    case 'auth':
      return expectAuth(record, id, context);
    default:
      return expectChannels(op as 'subscribe' | 'unsubscribe', record, id, context);
  }
}

function expectAuth(record: Record<string, unknown>, id: RequestId | undefined, context: OracleContext): ExpectedReply {
  const token = record['token'];
  const session = record['session'];
  const tokenOk = typeof token === 'string' && token.length >= 1 && token.length <= 16_384;
  const sessionOk = !Object.hasOwn(record, 'session') || (typeof session === 'string' && /^[A-Za-z0-9_-]{8,128}$/.test(session));
  // "A session field in a refresh is ignored": only a first auth is refused for its session.
  if (!tokenOk || (!sessionOk && !context.authenticated)) return error(['invalid_frame'], id);
  // The fuzzer's tokens are never valid: a refused first token closes with 4001, a refused refresh does not.
  return context.authenticated ? error(['auth_failed'], id) : error(['auth_failed'], id, 4001);
}

function expectChannels(op: 'subscribe' | 'unsubscribe', record: Record<string, unknown>, id: RequestId | undefined, context: OracleContext): ExpectedReply {
  const channels = record['channels'];
  // "channels: 1 to 100 channel names" (more per frame: invalid_frame).
  if (!Array.isArray(channels) || channels.length < 1 || channels.length > 100) return error(['invalid_frame'], id);
  const codes = new Set<string>();
  const names: string[] = [];
  for (const channel of channels) {
    const checked = checkChannel(channel);
    if (checked.ok) names.push(checked.name);
    else checked.codes.forEach((code) => codes.add(code));
  }
  if (op === 'subscribe' && Object.hasOwn(record, 'since')) {
    const since = record['since'];
    if (typeof since !== 'object' || since === null || Array.isArray(since)) codes.add('invalid_frame');
    else {
      // "Every key must be one of channels"; values are stream ids.
      for (const [key, position] of Object.entries(since)) {
        if (!isStreamId(position) || !channels.includes(key)) codes.add('invalid_frame');
      }
    }
  }
  if (codes.size > 0) {
    // Before authentication an operation that is malformed may be refused as such or as not_authenticated.
    if (!context.authenticated) codes.add('not_authenticated');
    return error([...codes], id);
  }
  if (!context.authenticated) return error(['not_authenticated'], id);
  if (op === 'unsubscribe') return { type: 'unsubscribed', id };
  return names.every((name) => context.granted.has(name)) ? { type: 'subscribed', id } : error(['not_granted'], id);
}
