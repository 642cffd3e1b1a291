// Test doubles for the session tests: a connection as the recorder sees it, a store that
// remembers what it was asked to write, and a logger that keeps its lines.
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { SessionRecorder, type SessionRecorderOptions, type SessionSnapshot } from '../session-recorder';
import type { SessionFlusher } from '../session-flusher';
import type { SessionBatchResult, SessionWrite, SessionWriteOutcome } from '../session-store';

/** What a recorder reads from a connection: its channels, positions, confirmations and change counter; counts snapshots. */
export class FakeConnection {
  /** Subscribed channels. */
  channels: string[] = [];
  /** Position per channel. */
  positions: Record<string, string> = {};
  /** Whether the client confirms what it was sent (what the recorder's `confirm` resolves with). */
  flushed = true;
  /** The change counter the recorder reads. */
  changes = 0;
  /** Snapshots taken so far. */
  snapshots = 0;

  /** Subscribes to `channel` (if new) and moves its position, as the fan-out would. */
  move(channel: string, position: string): void {
    if (!this.channels.includes(channel)) this.channels.push(channel);
    this.positions[channel] = position;
    this.changes++;
  }

  /** Drops a channel. */
  drop(channel: string): void {
    this.channels = this.channels.filter((name) => name !== channel);
    delete this.positions[channel];
    this.changes++;
  }

  /** The snapshot function of a recorder. */
  readonly snapshot = (): SessionSnapshot => {
    this.snapshots++;
    return { channels: [...this.channels], positions: { ...this.positions } };
  };

  /** A started recorder of this connection on `flusher`. */
  recorder(flusher: SessionFlusher, sessionId: string, options: Partial<SessionRecorderOptions> = {}): SessionRecorder {
    const recorder = new SessionRecorder({
      flusher,
      sessionId,
      owner: `owner-of-${sessionId}`,
      subject: 'user-1',
      snapshot: this.snapshot,
      confirm: () => Promise.resolve(this.flushed),
      changes: () => this.changes,
      ...options,
    });
    recorder.start();
    return recorder;
  }
}

/** A store in memory: owners and data per session, every batch it was given, failures on demand. */
export class FakeStore {
  /** TTL, ms. */
  ttlMs: number;
  /** Each `saveMany` call's writes. */
  readonly batches: SessionWrite[][] = [];
  /** Owner per session id. */
  readonly owners = new Map<string, string>();
  /** Stored data per session id. */
  readonly data = new Map<string, string>();
  /** When set, every write fails with it. */
  failWith?: Error;
  /** When set, `saveMany` waits for it before answering. */
  gate?: Promise<void>;

  constructor(ttlMs = 60_000) {
    this.ttlMs = ttlMs;
  }

  /** Same rules as `save-session.lua`. */
  async saveMany(writes: readonly SessionWrite[]): Promise<SessionBatchResult> {
    this.batches.push([...writes]);
    await this.gate;
    const outcomes = writes.map((write): SessionWriteOutcome => {
      if (this.failWith) return this.failWith;
      const owner = this.owners.get(write.id);
      if (!write.takeOver && owner !== undefined && owner !== write.owner) return 'superseded';
      this.owners.set(write.id, write.owner);
      this.data.set(write.id, write.data);
      return 'saved';
    });
    return { outcomes, pipelines: 1 };
  }

  /** The decoded positions stored for a session. */
  positionsOf(id: string): Record<string, string> | undefined {
    const text = this.data.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as { positions: Record<string, string> }).positions;
  }

  /** The channels stored for a session. */
  channelsOf(id: string): string[] | undefined {
    const text = this.data.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as { channels: string[] }).channels;
  }
}

/** A debug-level pino logger whose lines (parsed) end up in `lines`. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}
