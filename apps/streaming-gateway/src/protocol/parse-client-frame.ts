import type { z } from 'zod';
import { parseChannel, type Channel } from '../channels';
import {
  authFrameSchema,
  pingFrameSchema,
  requestIdSchema,
  subscribeFrameSchema,
  unsubscribeFrameSchema,
} from './client-frame-schemas';
import { CLIENT_OPS, type AuthFrame, type ClientFrame, type ClientOp, type RequestId, type SubscribeRequest } from './client-frames';
import { ServerErrorCode } from '@rebal/gateway-client';
import type { FrameError } from './frame-error';
import { PROTOCOL_DEFAULTS } from './protocol-defaults';

/** Raw WebSocket message data as `ws` delivers it (a Buffer with the default `binaryType`). */
export type RawFrame = string | Buffer | ArrayBuffer | readonly Buffer[];

/** Options of {@link parseClientFrame}. */
export interface ParseClientFrameOptions {
  /** Largest frame accepted, in bytes (default `PROTOCOL_DEFAULTS.maxFrameBytes`, 64 KiB). */
  maxFrameBytes?: number;
}

/**
 * Outcome of {@link parseClientFrame}: the frame, or the error to answer with. An `auth` frame
 * refused only for its `session` also comes back as `refresh`, without `session`: a refresh
 * ignores that field, so the frame is valid as one (the connection decides which it is).
 */
export type ParseClientFrameResult =
  | { readonly ok: true; readonly frame: ClientFrame }
  | { readonly ok: false; readonly error: FrameError; readonly refresh?: AuthFrame };

const OPS: ReadonlySet<string> = new Set(CLIENT_OPS);

// Fatal: text that is not UTF-8 is refused as invalid_json rather than decoded with U+FFFD.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Checks one inbound WebSocket message and turns it into a typed {@link ClientFrame}, or
 * into the {@link FrameError} to send back. In order: a binary frame is refused
 * (`binary_not_supported`), then a frame above `maxFrameBytes` (`frame_too_large`), text that
 * is not JSON (`invalid_json`), JSON that is not an object or has an invalid `id` or missing
 * `op` (`invalid_frame`), an unknown `op` (`unknown_op`), a missing or invalid field
 * (`invalid_frame`), and a bad channel (`invalid_channel` / `unknown_channel`, with
 * `channel`). Errors carry the frame's `id` whenever it had a valid one. Unknown fields are
 * ignored. Grants are not checked here: the server does that with the connection's token.
 */
export function parseClientFrame(raw: RawFrame, isBinary: boolean, options: ParseClientFrameOptions = {}): ParseClientFrameResult {
  const envelope = readEnvelope(raw, isBinary, options);
  if (!envelope.ok) return envelope;
  const { record, id } = envelope;
  const op = record['op'];
  if (typeof op !== 'string') return fail(ServerErrorCode.InvalidFrame, `op: expected one of ${CLIENT_OPS.join(', ')}`, id);
  if (!OPS.has(op)) return fail(ServerErrorCode.UnknownOp, `unknown op ${JSON.stringify(op.slice(0, 32))}`, id);
  return parseOp(op as ClientOp, record, id);
}

/**
 * The request id of a frame, when it has a valid one, for a refusal decided before the frame
 * is parsed (`rate_limited`). Undefined for what {@link parseClientFrame} answers without an
 * id: a binary frame, a frame above `maxFrameBytes` (not read at all), text that is not JSON
 * or not an object, and an invalid id.
 */
export function readRequestId(raw: RawFrame, isBinary: boolean, options: ParseClientFrameOptions = {}): RequestId | undefined {
  const envelope = readEnvelope(raw, isBinary, options);
  return envelope.ok ? envelope.id : undefined;
}

type Envelope = { readonly ok: true; readonly record: Record<string, unknown>; readonly id?: RequestId } | { readonly ok: false; readonly error: FrameError };

/** The checks every frame goes through before its `op`: text, size, JSON, an object, a valid `id`. */
function readEnvelope(raw: RawFrame, isBinary: boolean, options: ParseClientFrameOptions): Envelope {
  const maxFrameBytes = options.maxFrameBytes ?? PROTOCOL_DEFAULTS.maxFrameBytes;
  if (isBinary) return fail(ServerErrorCode.BinaryNotSupported, 'binary frames are not supported: send JSON text frames');
  const size = byteLength(raw);
  if (size > maxFrameBytes) return fail(ServerErrorCode.FrameTooLarge, `frame of ${size} bytes is larger than the ${maxFrameBytes}-byte limit`);
  let value: unknown;
  try {
    value = JSON.parse(toText(raw));
  } catch {
    return fail(ServerErrorCode.InvalidJson, 'the frame is not valid UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(ServerErrorCode.InvalidFrame, 'a frame must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  if (record['id'] === undefined) return { ok: true, record };
  const parsedId = requestIdSchema.safeParse(record['id']);
  if (!parsedId.success) return fail(ServerErrorCode.InvalidFrame, `id: expected a string of 1..64 characters or a non-negative integer`);
  return { ok: true, record, id: parsedId.data };
}

function parseOp(op: ClientOp, record: Record<string, unknown>, id: RequestId | undefined): ParseClientFrameResult {
  switch (op) {
    case 'auth': {
      const parsed = authFrameSchema.safeParse(record);
      if (!parsed.success) {
        const failure = schemaFailure(parsed.error, id);
        if (parsed.error.issues.some((issue) => issue.path[0] !== 'session')) return failure;
        const asRefresh = authFrameSchema.safeParse({ ...record, session: undefined });
        return asRefresh.success ? { ...failure, refresh: { op, ...withId(id), token: asRefresh.data.token } } : failure;
      }
      const { token, session } = parsed.data;
      return ok({ op, ...withId(id), token, ...(session === undefined ? {} : { session }) });
    }
    case 'subscribe': {
      const parsed = subscribeFrameSchema.safeParse(record);
      if (!parsed.success) return schemaFailure(parsed.error, id);
      const channels = parseChannelList(parsed.data.channels, id);
      if (!Array.isArray(channels)) return channels;
      const since = parsed.data.since ?? {};
      const names = new Set(channels.map((channel) => channel.name));
      const stray = Object.keys(since).find((name) => !names.has(name));
      if (stray !== undefined) {
        return fail(ServerErrorCode.InvalidFrame, `since: ${JSON.stringify(stray.slice(0, 64))} is not one of the channels`, id);
      }
      const requests = channels.map((channel): SubscribeRequest => {
        const position = Object.hasOwn(since, channel.name) ? since[channel.name] : undefined;
        return position === undefined ? { channel } : { channel, since: position };
      });
      return ok({ op, ...withId(id), channels: requests });
    }
    case 'unsubscribe': {
      const parsed = unsubscribeFrameSchema.safeParse(record);
      if (!parsed.success) return schemaFailure(parsed.error, id);
      const channels = parseChannelList(parsed.data.channels, id);
      if (!Array.isArray(channels)) return channels;
      return ok({ op, ...withId(id), channels });
    }
    case 'ping': {
      const parsed = pingFrameSchema.safeParse(record);
      if (!parsed.success) return schemaFailure(parsed.error, id);
      return ok({ op, ...withId(id) });
    }
  }
}

/** Parses every channel, dropping repeats; the first bad one fails the whole frame. */
function parseChannelList(items: readonly unknown[], id: RequestId | undefined): Channel[] | ParseClientFrameResult {
  const channels: Channel[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const parsed = parseChannel(item);
    if (!parsed.ok) {
      const channel = typeof item === 'string' ? item.slice(0, 300) : undefined;
      return { ok: false, error: { code: parsed.code, message: parsed.message, ...withId(id), ...(channel === undefined ? {} : { channel }) } };
    }
    if (seen.has(parsed.channel.name)) continue;
    seen.add(parsed.channel.name);
    channels.push(parsed.channel);
  }
  return channels;
}

function schemaFailure(error: z.ZodError, id: RequestId | undefined): { readonly ok: false; readonly error: FrameError } {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  return fail(ServerErrorCode.InvalidFrame, path === '' ? issue.message : `${path}: ${issue.message}`, id);
}

function ok(frame: ClientFrame): ParseClientFrameResult {
  return { ok: true, frame };
}

function fail(code: ServerErrorCode, message: string, id?: RequestId): { readonly ok: false; readonly error: FrameError } {
  return { ok: false, error: { code, message, ...withId(id) } };
}

function withId(id: RequestId | undefined): { id?: RequestId } {
  return id === undefined ? {} : { id };
}

function byteLength(raw: RawFrame): number {
  if (typeof raw === 'string') return Buffer.byteLength(raw, 'utf8');
  if (raw instanceof ArrayBuffer) return raw.byteLength;
  if (Buffer.isBuffer(raw)) return raw.length;
  return (raw as readonly Buffer[]).reduce((total, chunk) => total + chunk.length, 0);
}

function toText(raw: RawFrame): string {
  if (typeof raw === 'string') return raw;
  if (raw instanceof ArrayBuffer || Buffer.isBuffer(raw)) return UTF8.decode(raw);
  return UTF8.decode(Buffer.concat(raw as readonly Buffer[]));
}
