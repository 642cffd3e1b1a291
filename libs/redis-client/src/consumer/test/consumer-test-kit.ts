import pino from 'pino';
import type { RedisConnection } from '../../connection/redis-connection';
import { createEvent, type CloudEvent } from '../../events/cloud-event';
import { StreamPublisher } from '../../events/stream-publisher';
import type { Logger } from '../../logging/logger';

/** A promise a test opens when it decides: handlers wait on it to stay "in flight". */
export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

/** A new closed {@link Gate}. */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** A `price_update` event whose id is `evt-<n>` and price `n + 1`. */
export function priceEvent(n: number): CloudEvent {
  return createEvent({
    id: `evt-${n}`,
    type: 'price_update',
    source: '/consumer-suite',
    subject: 'BTC',
    data: { symbol: 'BTC', price: n + 1, currency: 'USD' },
  });
}

/** The number `n` of an event made by {@link priceEvent}: `evt-<n>` → n. */
export const eventNumber = (eventId: string): number => Number(eventId.slice('evt-'.length));

/** Publishes `priceEvent(from)` … `priceEvent(from + count - 1)` with pipelined XADDs, 1000 a round trip. */
export async function publishPrices(redis: RedisConnection, stream: string, from: number, count: number): Promise<void> {
  const publisher = new StreamPublisher({ redis, maxLen: 1_000_000 });
  for (let start = from; start < from + count; start += 1_000) {
    const size = Math.min(1_000, from + count - start);
    await publisher.publishMany(stream, Array.from({ length: size }, (_, i) => priceEvent(start + i)));
  }
}

/** Entries pending in `group` (XPENDING summary). */
export async function pendingCount(redis: RedisConnection, stream: string, group: string): Promise<number> {
  const summary = (await redis.xpending(stream, group)) as [number, ...unknown[]];
  return Number(summary[0]);
}

/** Entries pending for one consumer of `group` (0 when it has none or does not exist). */
export async function consumerPending(redis: RedisConnection, stream: string, group: string, consumer: string): Promise<number> {
  const [, , , consumers] = (await redis.xpending(stream, group)) as [number, unknown, unknown, Array<[string, string]> | null];
  return Number((consumers ?? []).find(([name]) => name === consumer)?.[1] ?? 0);
}

/** Field/value pairs of a stream entry as an object (the last value of a repeated field wins). */
export function fieldsToObject(fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) out[fields[i]] = fields[i + 1];
  return out;
}

/** A pino logger that keeps every line's `msg` in memory, to check what operators would grep for. */
export function capturingLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const logger = pino({ level: 'info' }, {
    write(line: string) {
      messages.push(String(JSON.parse(line).msg));
    },
  });
  return { logger, messages };
}

/** Counts how many times each event id was handled. */
export class HandledLog {
  private readonly counts = new Map<string, number>();

  record(eventId: string): void {
    this.counts.set(eventId, (this.counts.get(eventId) ?? 0) + 1);
  }

  /** Distinct event ids handled. */
  get distinct(): number {
    return this.counts.size;
  }

  /** Handler completions in all. */
  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  has(eventId: string): boolean {
    return this.counts.has(eventId);
  }

  /** Ids handled more than once. */
  duplicates(): string[] {
    return [...this.counts].filter(([, count]) => count > 1).map(([id]) => id);
  }
}
