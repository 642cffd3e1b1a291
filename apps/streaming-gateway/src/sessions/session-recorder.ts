import { silentLogger, type Logger } from '@rebal/redis-client';
import type { SessionRecord } from './session-record';
import type { SessionStore } from './session-store';

/** The channels of a connection and, per channel, the position its subscription reached. */
export interface SessionSnapshot {
  /** Subscribed channels. */
  readonly channels: readonly string[];
  /** Position per channel, where known. */
  readonly positions: Readonly<Record<string, string>>;
}

/** Options of {@link SessionRecorder}. */
export interface SessionRecorderOptions {
  /** Where sessions live. */
  readonly store: SessionStore;
  /** The session. */
  readonly sessionId: string;
  /** The connection writing (the session's owner). */
  readonly owner: string;
  /** The token `sub`. */
  readonly subject: string;
  /** Time between two recordings, ms (a positive integer). */
  readonly intervalMs: number;
  /** The connection's channels and positions now. */
  readonly snapshot: () => SessionSnapshot;
  /** True when everything sent so far has left the process (the socket's send buffer is empty). */
  readonly flushed: () => boolean;
  /** Called for every failed write (count it). */
  readonly onWriteFailure?: (error: unknown) => void;
  /** Logger (default: silent). */
  readonly logger?: Logger;
}

/**
 * Records a connection's session in Redis lazily: the channel list as it is, the positions
 * lagging. Every `intervalMs` it takes the connection's positions, but only when its send
 * buffer is empty (so they were handed to the network), and writes the positions taken at
 * the PREVIOUS tick: a recorded position was sent at least one interval earlier. A resume
 * from the session may thus repeat a few events (documented as at-least-once) but not skip
 * one. Unchanged records are rewritten only to renew the TTL (every third of it). When a
 * newer connection takes the session over, this one stops writing.
 */
export class SessionRecorder {
  private readonly options: SessionRecorderOptions;
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private confirmed: Readonly<Record<string, string>> = {};
  private lastWritten?: string;
  private lastWriteAt = 0;
  private writing?: Promise<void>;
  private failing = false;
  private superseded = false;
  private stopping?: Promise<void>;

  constructor(options: SessionRecorderOptions) {
    if (!Number.isSafeInteger(options.intervalMs) || options.intervalMs < 1) {
      throw new RangeError(`intervalMs must be a positive whole number of ms (got ${String(options.intervalMs)})`);
    }
    this.options = options;
    this.logger = (options.logger ?? silentLogger()).child({ session: options.sessionId });
  }

  /** Starts recording every `intervalMs`. */
  start(): void {
    if (this.timer || this.stopping) return;
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  /**
   * Stops, after one last write of the (lagging) record as it is NOW: call it before the
   * connection drops its subscriptions on close, so the session keeps its channels.
   * Never rejects; idempotent.
   */
  stop(): Promise<void> {
    if (!this.stopping) {
      clearInterval(this.timer);
      const record = this.record();
      this.stopping = (async () => {
        await this.writing;
        await this.write(record);
      })();
    }
    return this.stopping;
  }

  private tick(): void {
    if (this.writing || this.superseded) return;
    this.writing = this.write().finally(() => (this.writing = undefined));
    if (this.options.flushed()) this.confirmed = { ...this.options.snapshot().positions };
  }

  private record(): SessionRecord {
    const { channels } = this.options.snapshot();
    const positions: Record<string, string> = {};
    for (const channel of channels) {
      const position = this.confirmed[channel];
      if (position !== undefined) positions[channel] = position;
    }
    return { subject: this.options.subject, channels: [...channels], positions };
  }

  private async write(record = this.record()): Promise<void> {
    if (this.superseded) return;
    const text = JSON.stringify(record);
    const now = Date.now();
    if (text === this.lastWritten && now - this.lastWriteAt < this.options.store.ttlMs / 3) return;
    try {
      const saved = await this.options.store.save(this.options.sessionId, this.options.owner, record, false);
      if (!saved) {
        this.superseded = true;
        this.logger.info('session taken over by a newer connection; this one stops recording it');
        return;
      }
      this.lastWritten = text;
      this.lastWriteAt = now;
      if (this.failing) this.logger.info('session recording resumed');
      this.failing = false;
    } catch (error) {
      this.options.onWriteFailure?.(error);
      if (!this.failing) this.logger.warn({ err: error }, 'recording the session failed; retrying at the next interval');
      this.failing = true;
    }
  }
}
