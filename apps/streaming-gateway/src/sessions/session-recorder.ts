import { silentLogger, type Logger } from '@rebal/redis-client';
import { encodeSessionRecord, type SessionRecord } from './session-record';
import type { SessionFlusher } from './session-flusher';
import type { SessionWrite, SessionWriteOutcome } from './session-store';

/** The channels of a connection and, per channel, the position its subscription reached. */
export interface SessionSnapshot {
  /** Subscribed channels. */
  readonly channels: readonly string[];
  /** Position per channel, where known. */
  readonly positions: Readonly<Record<string, string>>;
}

/** Options of {@link SessionRecorder}. */
export interface SessionRecorderOptions {
  /** The gateway's flusher: it visits the recorder every interval and sends its writes. */
  readonly flusher: SessionFlusher;
  /** The session. */
  readonly sessionId: string;
  /** The connection writing (the session's owner). */
  readonly owner: string;
  /** The token `sub`. */
  readonly subject: string;
  /** The connection's channels and positions now. */
  readonly snapshot: () => SessionSnapshot;
  /**
   * Asks the client to confirm that it has received everything sent to it so far; resolves
   * true once it has (e.g. it answered a WebSocket ping sent after those frames: TCP keeps
   * order), false when that cannot be known (the connection closed first). Sent data that
   * has only left the process proves nothing: it can die in the network.
   */
  readonly confirm: () => Promise<boolean>;
  /**
   * A number that changes whenever the snapshot may have changed (a subscription added or
   * removed, a position moved, a resumed channel dropped). While it stays the same the
   * recorder takes no snapshot and serializes nothing. Default: none, so every flush takes a
   * snapshot.
   */
  readonly changes?: () => number;
  /**
   * The record the connection stored when it opened the session, if that write succeeded
   * (default none: the first flush writes the session). Its positions count as confirmed, and
   * it is not written again until something changes or its TTL needs renewing.
   */
  readonly stored?: SessionRecord;
  /** Logger (default: silent). */
  readonly logger?: Logger;
}

/** The write a flush took from a recorder, and what the record then stands for. */
interface InFlight {
  readonly write: SessionWrite;
  readonly at: number;
  readonly version: number;
  readonly confirmedAt: number | undefined;
  readonly done: Promise<void>;
  readonly release: () => void;
}

/**
 * Records a connection's session in Redis lazily: the channel list as it is, the positions
 * lagging behind what was sent. At a flush of the gateway's {@link SessionFlusher} where the
 * positions moved, it takes them and asks the client to confirm it has everything sent so
 * far (`confirm`, one request at a time); only positions the client confirmed are recorded,
 * at the next flush after the confirmation. A resume from the session may thus repeat events
 * (documented as at-least-once) but never skips one, also when the link died with events in
 * flight. Unchanged records are rewritten only to renew the TTL (every third of it); when
 * `changes` says nothing moved, a flush costs no snapshot and no serialization. When a newer
 * connection takes the session over, this one stops writing.
 */
export class SessionRecorder {
  private readonly options: SessionRecorderOptions;
  private readonly logger: Logger;
  private readonly changes: () => number;
  /** Positions the client confirmed, and the `changes` value when they were taken. */
  private confirmed: Readonly<Record<string, string>> = {};
  private confirmedAt?: number;
  /** A confirmation is under way (one at a time). */
  private confirming = false;
  /** The last record Redis holds from this recorder, when it was written, and the `changes` values it stands for. */
  private writtenData?: string;
  private writtenAt = Number.NEGATIVE_INFINITY;
  private writtenVersion?: number;
  private writtenConfirmedAt?: number;
  private inFlight?: InFlight;
  private superseded = false;
  private stopping?: Promise<void>;

  constructor(options: SessionRecorderOptions) {
    this.options = options;
    this.logger = (options.logger ?? silentLogger()).child({ session: options.sessionId });
    let calls = 0;
    this.changes = options.changes ?? (() => ++calls);
    if (options.stored) {
      this.confirmed = { ...options.stored.positions };
      this.writtenData = encodeSessionRecord(options.stored);
      this.writtenAt = options.flusher.now();
      this.confirmedAt = this.writtenVersion = this.writtenConfirmedAt = this.changes();
    }
  }

  /** Starts recording: registers with the flusher. */
  start(): void {
    if (!this.stopping && !this.superseded) this.options.flusher.add(this);
  }

  /**
   * Stops, after one last write of the (lagging) record as it is NOW, sent with the flusher's
   * next batch of final writes (at once, not at the next interval): call it before the
   * connection drops its subscriptions on close, so the session keeps its channels. Never
   * rejects; idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.finish();
    return this.stopping;
  }

  /**
   * For the flusher, once per flush: the write this flush needs, or undefined (superseded,
   * stopping, a write still under way, or nothing to renew). Then, when the positions moved and
   * no confirmation is under way, takes them and asks the client to confirm them (a later flush
   * writes them). The flusher calls {@link settle} with the outcome.
   */
  collect(now: number): SessionWrite | undefined {
    if (this.superseded || this.stopping || this.inFlight) return undefined;
    const version = this.changes();
    const renew = now - this.writtenAt >= this.options.flusher.renewAfterMs;
    let snapshot: SessionSnapshot | undefined;
    let write: SessionWrite | undefined;
    const confirmedAt = this.confirmedAt;
    if (renew || version !== this.writtenVersion || confirmedAt !== this.writtenConfirmedAt) {
      snapshot = this.options.snapshot();
      const data = encodeSessionRecord(this.recordOf(snapshot.channels));
      if (renew || data !== this.writtenData) {
        write = { id: this.options.sessionId, owner: this.options.owner, data, takeOver: false };
      } else {
        this.writtenVersion = version;
        this.writtenConfirmedAt = confirmedAt;
      }
    }
    if (version !== this.confirmedAt && !this.confirming) {
      snapshot ??= this.options.snapshot();
      const positions = { ...snapshot.positions };
      this.confirming = true;
      void this.options.confirm().then(
        (confirmed) => {
          this.confirming = false;
          if (!confirmed || this.superseded || this.stopping) return;
          this.confirmed = positions;
          this.confirmedAt = version;
        },
        () => (this.confirming = false),
      );
    }
    if (write) {
      let release = (): void => undefined;
      const done = new Promise<void>((resolve) => (release = resolve));
      this.inFlight = { write, at: now, version, confirmedAt, done, release };
    }
    return write;
  }

  /** For the flusher: the outcome of the write {@link collect} returned. */
  settle(outcome: SessionWriteOutcome): void {
    const inFlight = this.inFlight;
    if (!inFlight) return;
    this.inFlight = undefined;
    if (outcome === 'saved') {
      this.writtenData = inFlight.write.data;
      this.writtenAt = inFlight.at;
      this.writtenVersion = inFlight.version;
      this.writtenConfirmedAt = inFlight.confirmedAt;
    } else if (outcome === 'superseded') {
      this.takenOver();
    }
    // A failed write leaves everything as it was: the next flush writes again.
    inFlight.release();
  }

  private async finish(): Promise<void> {
    const { flusher } = this.options;
    flusher.remove(this);
    try {
      // Taken now, while the connection still has its subscriptions.
      const record = this.recordOf(this.options.snapshot().channels);
      await this.inFlight?.done;
      if (this.superseded) return;
      const data = encodeSessionRecord(record);
      if (data === this.writtenData && flusher.now() - this.writtenAt < flusher.renewAfterMs) return;
      const outcome = await flusher.writeSoon({ id: this.options.sessionId, owner: this.options.owner, data, takeOver: false });
      if (outcome === 'superseded') this.takenOver();
    } catch (error) {
      this.logger.warn({ err: error }, 'the final session write could not be prepared');
    }
  }

  private takenOver(): void {
    this.superseded = true;
    this.options.flusher.remove(this);
    this.logger.info('session taken over by a newer connection; this one stops recording it');
  }

  private recordOf(channels: readonly string[]): SessionRecord {
    const positions: Record<string, string> = {};
    for (const channel of channels) {
      const position = this.confirmed[channel];
      if (position !== undefined) positions[channel] = position;
    }
    return { subject: this.options.subject, channels: [...channels], positions };
  }
}
