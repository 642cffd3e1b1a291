import { performance } from 'node:perf_hooks';
import type { Logger } from '@rebal/redis-client';
import type { RawData } from 'ws';
import type { Channel } from '../channels';
import { Subscription, type SubscriptionSink } from '../fanout';
import { channelFamily } from '../metrics';
import { GatewayCloseCode, ServerErrorCode, type ServerFrame } from '@rebal/gateway-client';
import {
  CLOSE_REASONS,
  encodeError,
  encodeFrame,
  parseClientFrame,
  readRequestId,
  type AuthFrame,
  type ClientFrame,
  type FrameError,
  type FramedText,
  heartbeatPing,
  type SentCloseCode,
  type TokenBucket,
} from '../protocol';
import type { GatewaySocket, GatewaySocketEvents } from '../server/gateway-socket';
import { encodeSessionRecord, type SessionRecord } from '../sessions';
import type { ConnectionAuth, ConnectionSession } from './connection-auth';
import type { ConnectionDeps } from './connection-deps';
import type { SweptConnection } from './connection-sweep';
import { handleFrame } from './handle-frame';
import { sessionRecordOf, type ClosingRecords } from './session-record-of';

const OPEN = 0;
const CLOSING = 1;
const CLOSED = 2;

const SETTLED: Promise<void> = Promise.resolve();
/** How long a due heartbeat ping waits for an event frame to go out with (at most a quarter of the interval). */
const PING_WAIT_MS = 1_000;
const TEXT = { binary: false } as const;

/**
 * One WebSocket client. Inbound frames go through the rate limiter, the parser and a
 * per-connection queue (operations run one at a time, in order; `ping` is answered at once,
 * ahead of the queue). Outbound frames are checked against the send buffer limit: a client
 * that reads too slowly is closed with 4009 without holding anyone else up. Authentication
 * state, subscriptions and the session live here; the operations themselves are in
 * `handle-frame`, `auth-operations` and `subscribe-operations`.
 *
 * Built to be small when idle: no timer (the gateway's `ConnectionSweep` visits it for its
 * deadlines and heartbeats), no listener or closure (its `GatewaySocket` calls it), a single
 * subscription held without a Map, its token bucket as plain fields, and its logger made
 * only when something is logged.
 *
 * Its session is written when it changes (first auth, subscribe, unsubscribe, refresh) with
 * the positions the client confirmed, and once more when the connection closes: with the
 * positions of everything sent when the client's close frame arrived (it closed, or completed
 * the handshake of ours after reading every frame before it), before the handshake completes;
 * else, once the socket is gone, with the confirmed ones (docs/protocol.md, Sessions).
 */
export class ClientConnection implements SubscriptionSink, SweptConnection, GatewaySocketEvents, TokenBucket {
  /** Shared gateway parts. */
  readonly deps: ConnectionDeps;
  /** Set by a successful `auth`. */
  auth?: ConnectionAuth;
  /** Set with the first successful `auth`. */
  session?: ConnectionSession;
  /** Token bucket of the client's operations (`RateLimiter`): tokens left. */
  tokens: number;
  /** Token bucket: when it was last refilled (monotonic ms). */
  stampMs = 0;
  /** Token bucket: consecutive refused operations. */
  denials = 0;

  /** Unique among this process's connections (with `deps.connectionIdPrefix`, the connection id); also its heartbeat slot. */
  readonly serial: number;
  private readonly ws: GatewaySocket;
  private state = OPEN;
  private closeCode?: SentCloseCode;
  /** Monotonic ms at which the sweep acts: the auth deadline while unauthenticated, the cut-off while closing. */
  private dueAt: number;
  /** `token_expiring` was sent for the current authentication. */
  private warned = false;
  /** The client answered the last heartbeat ping (or none was sent yet). */
  private alive = true;
  /** Round of the heartbeat ping whose pong confirms the positions taken with it (0: none outstanding). */
  private pingNumber = 0;
  /** Round of a heartbeat ping due but not sent yet: it goes out with the next event, or alone at `pingBy` (0: none). */
  private pingDue = 0;
  /** Monotonic ms by which a due ping is sent alone. */
  private pingBy = 0;
  private only?: Subscription;
  private many?: Map<string, Subscription>;
  private queue: Promise<void> = SETTLED;
  private heldBytes = 0;
  private peakBuffered = 0;
  /** Refreshes (`auth` frames received while authenticated) not run yet. */
  private refreshesQueued = 0;
  /** The token expired while a refresh was queued: closed with 4003 unless that refresh succeeds. */
  private expiredMeanwhile = false;
  private closing?: ClosingRecords;

  /** @param serial unique among this process's connections */
  constructor(ws: GatewaySocket, deps: ConnectionDeps, serial: number) {
    this.ws = ws;
    this.deps = deps;
    this.serial = serial;
    this.tokens = deps.limits.rateLimitBurst;
    this.dueAt = performance.now() + deps.limits.authTimeoutMs;
    ws.events = this;
    deps.metrics.connections.inc();
  }

  /** Connection id, unique across replicas and restarts: the owner of its session in Redis. */
  get id(): string {
    return `${this.deps.connectionIdPrefix}${this.serial}`;
  }

  /** Logger bound to this connection (made on use: logging is rare, connections are many). */
  get logger(): Logger {
    return this.deps.logger.child({ connection: this.id, remote: this.ws.rawSocket?.remoteAddress });
  }

  /** True until the connection closes or the server decides to close it. */
  get open(): boolean {
    return this.state === OPEN;
  }

  /** Number of subscriptions. */
  get subscriptionCount(): number {
    return this.many?.size ?? (this.only === undefined ? 0 : 1);
  }

  /** The subscription of channel `name`, if any. */
  subscription(name: string): Subscription | undefined {
    if (this.many !== undefined) return this.many.get(name);
    return this.only?.channel.name === name ? this.only : undefined;
  }

  /** The subscriptions (a copy). */
  subscriptionList(): Subscription[] {
    if (this.many !== undefined) return [...this.many.values()];
    return this.only === undefined ? [] : [this.only];
  }

  /** Largest send buffer (bytes queued in the process) seen after a send. */
  get peakBufferedBytes(): number {
    return this.peakBuffered;
  }

  /** Authenticates with a token from the upgrade URL (`?token=`), as if it were the first frame. */
  authenticateFromQuery(token: string, session: string | undefined): void {
    this.enqueue({ op: 'auth', token, ...(session === undefined ? {} : { session }) });
  }

  /** The sweep's visit (see `ConnectionSweep`): auth deadline, token warning and expiry, close grace, heartbeat. */
  sweep(now: number, wallNow: number, round: number): void {
    if (this.state === CLOSED) return;
    if (this.state === CLOSING) {
      if (now >= this.dueAt) this.ws.terminate();
      return;
    }
    const auth = this.auth;
    if (auth === undefined) {
      if (now >= this.dueAt) {
        this.closeWith(GatewayCloseCode.AuthTimeout);
        return;
      }
    } else {
      if (!this.warned && wallNow >= auth.expiresAtMs - this.deps.limits.tokenExpiringLeadMs) this.warnExpiring(auth, wallNow);
      if (wallNow >= auth.expiresAtMs) {
        if (this.refreshesQueued > 0) this.expiredMeanwhile = true;
        else {
          this.closeWith(GatewayCloseCode.TokenExpired);
          return;
        }
      }
    }
    if (round !== 0) this.heartbeat(round, now);
    else if (this.pingDue !== 0 && now >= this.pingBy) this.sendPing(undefined);
  }

  /**
   * Terminates a connection that did not answer the previous ping; for the others the ping of
   * this round is due. It goes out with the next event frame (one write for both), or alone a
   * second later at most: the heartbeat costs no write of its own while events flow.
   */
  private heartbeat(round: number, now: number): void {
    if (!this.alive) {
      this.logger.debug('no pong since the last ping: terminating');
      this.ws.terminate();
      return;
    }
    if (this.pingDue === 0) this.pingBy = now + Math.min(PING_WAIT_MS, this.deps.limits.heartbeatIntervalMs / 4);
    this.pingDue = round;
  }

  /**
   * Sends the due ping, after `event` in the same write when given, and notes what each
   * subscription had been sent by then: its pong confirms that much.
   */
  private sendPing(event: FramedText | undefined): void {
    const ping = heartbeatPing(this.pingDue);
    this.pingNumber = this.pingDue;
    this.pingDue = 0;
    this.alive = false;
    if (this.many !== undefined) for (const subscription of this.many.values()) subscription.markPinged();
    else this.only?.markPinged();
    if (this.ws.writeRaw(event === undefined ? ping.frame : event.followedBy(ping))) return;
    if (event !== undefined) this.ws.send(event.payload, TEXT);
    this.ws.ping(ping.payload);
  }

  /**
   * A pong. Any pong shows the client alive; the pong of the last heartbeat ping (it echoes its
   * number) also proves, TCP keeping order, that every frame sent before that ping arrived:
   * the positions taken with the ping become the confirmed ones.
   */
  onPong(data: Buffer): void {
    this.alive = true;
    if (this.pingNumber === 0 || data.length === 0 || Number(data.toString('latin1')) !== this.pingNumber) return;
    this.pingNumber = 0;
    if (this.many !== undefined) for (const subscription of this.many.values()) subscription.ponged();
    else this.only?.ponged();
  }

  /** A socket error: ws closes the connection itself; it is only logged. */
  onError(error: Error): void {
    this.logger.debug({ err: error }, 'WebSocket error');
  }

  /** Sends a control frame (anything but `event`). */
  sendFrame(frame: ServerFrame): void {
    this.sendText(encodeFrame(frame));
  }

  /** Sends an `error` frame. */
  sendError(error: FrameError & { readonly retryAfterMs?: number }): void {
    this.deps.metrics.errorFrames.inc({ code: error.code });
    this.sendText(encodeError(error));
  }

  /** Sends one live event frame, framed once for every subscriber (called by subscriptions), with a due heartbeat ping. Allocates nothing. */
  sendEvent(_subscription: Subscription, _id: string, frame: FramedText): void {
    if (this.state !== OPEN) return;
    try {
      if (this.pingDue !== 0) this.sendPing(frame);
      else if (!this.ws.writeRaw(frame.frame)) this.ws.send(frame.payload, TEXT);
    } catch (error) {
      this.failedSend(error);
      return;
    }
    this.checkSendBuffer();
  }

  /**
   * Sends replayed event frames with backpressure: after every `chunkBytes` it waits until the
   * socket has taken them. Resolves false if the connection closed meanwhile.
   */
  async sendReplay(frames: readonly Buffer[], chunkBytes: number): Promise<boolean> {
    let sinceWait = 0;
    for (const frame of frames) {
      if (!this.open) return false;
      sinceWait += frame.length;
      if (sinceWait < chunkBytes) {
        this.ws.send(frame, TEXT);
        continue;
      }
      sinceWait = 0;
      await new Promise<void>((resolve) => this.ws.send(frame, TEXT, () => resolve()));
    }
    this.checkSendBuffer();
    return this.open;
  }

  /**
   * A subscription cannot go on without a gap: its stream no longer continues from what this
   * client was sent (trimmed while the gateway was cut off from Redis, or gone back after a
   * failover). The client must resume to learn what it missed, so the connection ends with
   * 1011 (reconnect with backoff and resume); its resume reports the gap.
   */
  interrupted(subscription: Subscription): void {
    this.logger.debug({ channel: subscription.channel.name }, 'the stream no longer continues from what this client was sent: closing with 1011 so it resumes');
    this.closeWith(GatewayCloseCode.InternalError);
  }

  /** Live events held by catching-up subscriptions count against the send buffer limit. */
  heldBytesChanged(bytes: number): void {
    this.heldBytes += bytes;
    if (bytes > 0) this.checkSendBuffer();
  }

  /** Adds a (catching-up) subscription and registers it for live events. */
  addSubscription(channel: Channel): Subscription {
    const { index, metrics } = this.deps;
    const subscription = new Subscription(index.canonical(channel), this);
    if (this.many !== undefined) this.many.set(channel.name, subscription);
    else if (this.only === undefined) this.only = subscription;
    else {
      this.many = new Map([
        [this.only.channel.name, this.only],
        [channel.name, subscription],
      ]);
      this.only = undefined;
    }
    index.add(subscription);
    metrics.subscriptions.inc({ channel: channelFamily(channel.stream, channel.subject) });
    return subscription;
  }

  /** Removes a subscription: no event of it is sent after this returns. */
  removeSubscription(subscription: Subscription): void {
    const name = subscription.channel.name;
    if (this.subscription(name) !== subscription) return;
    subscription.close();
    if (this.many !== undefined) {
      this.many.delete(name);
      if (this.many.size <= 1) {
        this.only = this.many.values().next().value;
        this.many = undefined;
      }
    } else {
      this.only = undefined;
    }
    this.deps.index.remove(subscription);
    this.deps.metrics.subscriptions.dec({ channel: channelFamily(subscription.channel.stream, subscription.channel.subject) });
  }

  /**
   * The client met the authentication deadline: its token was accepted. Opening the session
   * that follows is the server's own work (bounded by the Redis command timeout), which a
   * slow Redis must not turn into a 4002 for a client that did everything in time.
   */
  metAuthDeadline(): void {
    this.dueAt = Number.POSITIVE_INFINITY;
  }

  /**
   * Marks the connection authenticated (first auth or refresh). `token_expiring` is sent at
   * once when the token expires within the warning lead (the caller has just sent `welcome` or
   * `authenticated`), else by the sweep when it falls due; at the expiry the connection is
   * closed with 4003, unless a refresh received before it is still queued: then the close
   * waits for that refresh, and happens only if it fails.
   */
  authenticated(auth: ConnectionAuth): void {
    this.auth = auth;
    this.expiredMeanwhile = false;
    this.dueAt = Number.POSITIVE_INFINITY;
    this.warned = false;
    const wallNow = Date.now();
    if (wallNow >= auth.expiresAtMs - this.deps.limits.tokenExpiringLeadMs) this.warnExpiring(auth, wallNow);
  }

  /**
   * Records the session as it stands after a change (a subscribe, an unsubscribe, a refresh):
   * its channels, the positions the client confirmed, and a TTL that lasts while the token
   * does, then the session TTL. One script call, sent with the other writes of this turn.
   */
  saveSession(): void {
    const { session, auth } = this;
    if (session === undefined || auth === undefined || this.state !== OPEN) return;
    void this.writeSession(session, sessionRecordOf(auth.subject, session.pending, this.subscriptionList(), 'confirmed'), this.deps.limits.sessionTtlMs + Math.max(0, auth.expiresAtMs - Date.now()));
  }

  /**
   * Closes the connection with `code` (its reason text from the protocol). Subscriptions stop
   * at once; the close frame follows whatever is still buffered, and the socket is destroyed
   * if the client has not completed the close within the grace period. Idempotent.
   */
  closeWith(code: SentCloseCode): void {
    if (this.state !== OPEN) return;
    this.closeCode = code;
    // Counted when decided: the close frame may wait behind a full buffer for a while.
    this.deps.metrics.disconnects.inc({ code: String(code) });
    this.stopActivity();
    this.state = CLOSING;
    this.dueAt = performance.now() + this.deps.limits.slowConsumerCloseGraceMs;
    this.ws.close(code, CLOSE_REASONS[code]);
  }

  /** Destroys the socket without a close handshake. */
  terminate(): void {
    this.ws.terminate();
  }

  /**
   * The client's close frame arrived: it closed, or answered our close after reading every
   * frame before it. The session is recorded with the positions of everything sent, and the
   * closing handshake completes once that write landed (see `GatewaySocket.close`): a client
   * that sees its close done may resume at once, on any replica.
   */
  onPeerClose(): Promise<void> | void {
    if (this.state === OPEN) {
      this.stopActivity();
      this.state = CLOSING;
      this.dueAt = performance.now() + this.deps.limits.slowConsumerCloseGraceMs;
    }
    return this.writeClosingSession(true);
  }

  /** The socket closed. Without the client's close frame (the link died, or it was cut off), the session gets the confirmed positions. */
  onClose(code: number): void {
    if (this.state === CLOSED) return;
    if (this.state === OPEN) this.stopActivity();
    this.state = CLOSED;
    const { metrics } = this.deps;
    metrics.connections.dec();
    if (this.closeCode === undefined) metrics.disconnects.inc({ code: String(code) });
    void this.writeClosingSession(false);
    this.deps.onClosed(this);
  }

  /** An inbound message: rate limit, parse, then run in order (pings at once). */
  onMessage(data: RawData, isBinary: boolean): void {
    if (this.state !== OPEN) return;
    const decision = this.deps.limiter.take(this, performance.now());
    const sizes = { maxFrameBytes: this.deps.limits.maxFrameBytes };
    if (!decision.allowed) {
      // Not executed, but read far enough to echo its id (a frame above the size limit is not read).
      const id = readRequestId(data, isBinary, sizes);
      this.sendError({ code: ServerErrorCode.RateLimited, message: 'too many operations', retryAfterMs: decision.retryAfterMs, ...(id === undefined ? {} : { id }) });
      if (decision.close) this.closeWith(GatewayCloseCode.RateLimited);
      return;
    }
    const parsed = parseClientFrame(data, isBinary, sizes);
    if (!parsed.ok) {
      if (parsed.refresh) this.enqueueRefreshOnly(parsed.refresh, parsed.error);
      else this.sendError(parsed.error);
      return;
    }
    const frame = parsed.frame;
    // Pings skip the queue: a liveness probe must not wait behind a replay.
    if (frame.op === 'ping') this.sendFrame({ type: 'pong', ...(frame.id === undefined ? {} : { id: frame.id }), time: Date.now() });
    else this.enqueue(frame);
  }

  private warnExpiring(auth: ConnectionAuth, wallNow: number): void {
    this.warned = true;
    this.sendFrame({ type: 'token_expiring', expiresAt: auth.expiresAtMs, expiresInMs: Math.max(0, auth.expiresAtMs - wallNow) });
  }

  private writeSession(session: ConnectionSession, record: SessionRecord, ttlMs: number): Promise<void> {
    return this.deps.sessionWriter.write({ id: session.id, owner: this.id, data: encodeSessionRecord(record), takeOver: false, ttlMs });
  }

  /** The session's last write, once: with every position sent (`sent`) or the confirmed ones. */
  private writeClosingSession(sent: boolean): Promise<void> | undefined {
    const { closing, session } = this;
    this.closing = undefined;
    if (closing === undefined || session === undefined) return undefined;
    return this.writeSession(session, sent ? closing.sent : closing.confirmed, this.deps.limits.sessionTtlMs);
  }

  private sendText(text: string): void {
    if (this.state !== OPEN) return;
    try {
      this.ws.send(text, TEXT);
    } catch (error) {
      this.failedSend(error);
      return;
    }
    const { metrics } = this.deps;
    metrics.messagesSent.inc({ kind: 'control' });
    metrics.bytesSent.inc({ kind: 'control' }, Buffer.byteLength(text));
    this.checkSendBuffer();
  }

  /** A failed send closes this connection (1011), never the fan-out. */
  private failedSend(error: unknown): void {
    this.logger.error({ err: error }, 'sending a frame failed; closing the connection');
    this.closeWith(GatewayCloseCode.InternalError);
  }

  private checkSendBuffer(): void {
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.peakBuffered) this.peakBuffered = buffered;
    if (buffered + this.heldBytes > this.deps.limits.sendBufferLimitBytes && this.state === OPEN) {
      this.logger.warn({ buffered, held: this.heldBytes }, 'slow consumer: send buffer limit exceeded, closing with 4009');
      this.closeWith(GatewayCloseCode.SlowConsumer);
    }
  }

  private enqueue(frame: ClientFrame): void {
    this.runInOrder(frame.op === 'auth', () => handleFrame(this, frame));
  }

  /** An `auth` whose only fault is its `session`: run as a refresh if the connection is authenticated by then, else refused. */
  private enqueueRefreshOnly(frame: AuthFrame, error: FrameError): void {
    this.runInOrder(true, () => (this.auth ? handleFrame(this, frame) : this.sendError(error)));
  }

  /**
   * Queues an operation behind the earlier ones. An `auth` received while authenticated is a
   * refresh the client sent in time: until it has run, the token's expiry does not close the
   * connection (see `authenticated`), however long the operations ahead of it take.
   */
  private runInOrder(auth: boolean, operation: () => Promise<void> | void): void {
    const refresh = auth && this.auth !== undefined;
    if (refresh) this.refreshesQueued++;
    const run: Promise<void> = this.queue.then(operation).finally(() => {
      if (refresh) this.refreshRan();
      // An idle connection keeps no promise of its own.
      if (this.queue === run) this.queue = SETTLED;
    });
    this.queue = run;
  }

  private refreshRan(): void {
    this.refreshesQueued--;
    if (this.refreshesQueued === 0 && this.expiredMeanwhile) this.closeWith(GatewayCloseCode.TokenExpired);
  }

  /** Ends session recording (taking both closing records while the subscriptions are there) and the subscriptions. */
  private stopActivity(): void {
    const auth = this.auth;
    const session = this.session;
    if (session !== undefined && auth !== undefined) {
      const subscriptions = this.subscriptionList();
      this.closing = {
        sent: sessionRecordOf(auth.subject, session.pending, subscriptions, 'sent'),
        confirmed: sessionRecordOf(auth.subject, session.pending, subscriptions, 'confirmed'),
      };
    }
    for (const subscription of this.subscriptionList()) this.removeSubscription(subscription);
    this.heldBytes = 0;
  }
}
