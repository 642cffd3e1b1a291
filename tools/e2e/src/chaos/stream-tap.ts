import { createRedisConnection, decodeEntry, parseRedisConfig, type RedisConnection } from '@rebal/redis-client';

/** One entry a {@link StreamTap} read. */
export interface TappedEntry {
  readonly id: string;
  /** Whether it decodes as a valid event (the gateway forwards only those). */
  readonly valid: boolean;
  /** CloudEvent type, subject and time (ms), when valid. */
  readonly type?: string;
  readonly subject?: string;
  readonly eventId?: string;
  readonly timeMs?: number;
}

/**
 * The truth of a run: reads every entry of the given streams as they are appended (XREAD
 * BLOCK from its own last id, on its own admin connection), so nothing escapes it even if a
 * stream is trimmed later. It rides out Redis outages by reconnecting and reading on from its
 * place.
 */
export class StreamTap {
  /** Entries per stream, in stream order. */
  readonly entries = new Map<string, TappedEntry[]>();
  private readonly positions = new Map<string, string>();
  private readonly connection: RedisConnection;
  private running = true;
  private readonly loop: Promise<void>;
  /** Failed reads (Redis away), for the report. */
  failures = 0;

  constructor(env: Record<string, string>, streams: readonly string[], startAfter: Readonly<Record<string, string>>) {
    this.connection = createRedisConnection(parseRedisConfig(env).main, { name: 'e2e-stream-tap', blocking: true });
    for (const stream of streams) {
      this.entries.set(stream, []);
      this.positions.set(stream, startAfter[stream] ?? '0-0');
    }
    this.loop = this.run();
  }

  /** The valid entry ids of a stream, in order. */
  validIds(stream: string): string[] {
    return (this.entries.get(stream) ?? []).filter((entry) => entry.valid).map((entry) => entry.id);
  }

  /** The last id read from a stream (its start position when none yet). */
  lastId(stream: string): string {
    return this.positions.get(stream) ?? '0-0';
  }

  /** Stops reading (within a second) and closes its connection. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.connection.disconnect();
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const streams = [...this.positions.keys()];
        const reply = (await this.connection.xread('COUNT', 1000, 'BLOCK', 500, 'STREAMS', ...streams, ...streams.map((s) => this.positions.get(s) as string))) as
          | Array<[string, Array<[string, string[]]>]>
          | null;
        for (const [stream, items] of reply ?? []) {
          const list = this.entries.get(stream) as TappedEntry[];
          for (const [id, fields] of items) {
            const decoded = decodeEntry(fields);
            list.push(decoded.ok ? { id, valid: true, type: decoded.event.type, subject: decoded.event.subject, eventId: decoded.event.id, timeMs: Date.parse(decoded.event.time) } : { id, valid: false });
            this.positions.set(stream, id);
          }
        }
      } catch {
        this.failures += 1;
        if (this.running) await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }
}
