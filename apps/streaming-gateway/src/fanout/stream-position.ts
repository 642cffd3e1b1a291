import type { RedisConnection } from '@rebal/redis-client';

/** Where a stream stands, from `XINFO STREAM`: its end and what it has lost to trimming. */
export interface StreamPosition {
  /** Whether the stream key exists. */
  readonly exists: boolean;
  /** `last-generated-id`: no entry after it exists yet (`0-0` for a missing or never-written stream). */
  readonly lastId: string;
  /** Id of the oldest entry still held; absent when the stream is empty. */
  readonly firstId?: string;
  /** `max-deleted-entry-id` (Redis ≥ 7.0): the largest id removed by XDEL (trimming does not move it), `0-0` when none; absent on older servers. */
  readonly maxDeletedId?: string;
  /** `entries-added` minus `length` (Redis ≥ 7.0): entries trimmed or deleted over the stream's life; absent on older servers. */
  readonly entriesRemoved?: number;
}

const MISSING: StreamPosition = { exists: false, lastId: '0-0' };

/** Reads {@link StreamPosition} of the stream `key` with one `XINFO STREAM` (a missing key is not an error). */
export async function readStreamPosition(redis: RedisConnection, key: string): Promise<StreamPosition> {
  try {
    return parseStreamInfo(await redis.xinfo('STREAM', key));
  } catch (error) {
    if (error instanceof Error && /no such key/i.test(error.message)) return MISSING;
    throw error;
  }
}

/** Turns an `XINFO STREAM` reply (RESP2 flat field/value list) into a {@link StreamPosition}. */
export function parseStreamInfo(reply: unknown): StreamPosition {
  if (!Array.isArray(reply)) return MISSING;
  const fields = new Map<string, unknown>();
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), reply[i + 1]);
  const lastId = fields.get('last-generated-id');
  const maxDeleted = fields.get('max-deleted-entry-id');
  const first = fields.get('first-entry');
  const firstId = Array.isArray(first) && first.length > 0 ? String(first[0]) : undefined;
  const added = fields.get('entries-added');
  const length = fields.get('length');
  return {
    exists: true,
    lastId: typeof lastId === 'string' ? lastId : '0-0',
    ...(firstId === undefined ? {} : { firstId }),
    ...(typeof maxDeleted === 'string' ? { maxDeletedId: maxDeleted } : {}),
    ...(typeof added === 'number' && typeof length === 'number' ? { entriesRemoved: added - length } : {}),
  };
}
