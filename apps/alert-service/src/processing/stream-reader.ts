import type { RedisConnection } from '@rebal/redis-client';

/** One stream entry as XREAD returns it: its id and its flat field/value list. */
export type StreamEntry = [id: string, fields: string[]];

/** The entries of an XREAD reply on one stream (none for a nil reply). */
export function parseXRead(reply: unknown): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const [, entries] = reply[0] as [string, StreamEntry[]];
  return entries ?? [];
}

/** The value of `field` in a flat field/value list, or `undefined`. */
export function fieldOf(fields: readonly string[], field: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === field) return fields[i + 1];
  return undefined;
}

/**
 * Reads one stream forward in batches with XREAD (no consumer group: every replica reads every
 * entry, and keeps only those of the partitions it owns), from `position` on.
 */
export class StreamReader {
  /**
   * @param redis the connection to read on (a blocking one of its own for `BLOCK`)
   * @param stream the stream key
   * @param count entries per read (XREAD COUNT)
   * @param position the id read last: reading goes on after it
   */
  constructor(
    private readonly redis: RedisConnection,
    readonly stream: string,
    private readonly count: number,
    public position: string,
  ) {}

  /** The next batch after `position` (waiting up to `blockMs` when given and nothing is there), and moves `position` on. */
  async read(blockMs?: number): Promise<StreamEntry[]> {
    const block = blockMs === undefined ? [] : ['BLOCK', blockMs];
    const entries = parseXRead(await this.redis.call('XREAD', 'COUNT', this.count, ...block, 'STREAMS', this.stream, this.position));
    const last = entries[entries.length - 1];
    if (last) this.position = last[0];
    return entries;
  }
}
