import { parseChannel } from '../channels';
import { isStreamId } from '@rebal/gateway-client';

/** What a session holds: whose it is, its channels and, per channel, the last position sent. */
export interface SessionRecord {
  /** The token `sub` the session belongs to. */
  readonly subject: string;
  /** Subscribed channels, canonical names. */
  readonly channels: readonly string[];
  /** Per channel: the client has every event up to this stream id (recorded lazily, so it may lag). */
  readonly positions: Readonly<Record<string, string>>;
}

/** The Redis key of a session: `<prefix>session:<id>` (one key, one hash slot). */
export function sessionKey(id: string, prefix = ''): string {
  return `${prefix}session:${id}`;
}

/** Serializes a record for storage. */
export function encodeSessionRecord(record: SessionRecord): string {
  return JSON.stringify({ v: 1, sub: record.subject, channels: record.channels, positions: record.positions });
}

/** Reads a stored record; undefined when it is not one (wrong version or shape, bad channel or id). */
export function decodeSessionRecord(text: string | null | undefined): SessionRecord | undefined {
  if (typeof text !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { v, sub, channels, positions } = value as Record<string, unknown>;
  if (v !== 1 || typeof sub !== 'string' || sub.length === 0 || !Array.isArray(channels)) return undefined;
  if (!channels.every((channel) => parseChannel(channel).ok)) return undefined;
  if (typeof positions !== 'object' || positions === null || Array.isArray(positions)) return undefined;
  const kept: Record<string, string> = {};
  for (const [channel, id] of Object.entries(positions as Record<string, unknown>)) {
    if (!isStreamId(id)) return undefined;
    kept[channel] = id;
  }
  return { subject: sub, channels: channels as string[], positions: kept };
}
