import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from '@rebal/redis-client';
import type { RawData, WebSocket } from 'ws';
import type { Channel } from '../channels';
import { Subscription, type SubscriptionSink } from '../fanout';
import { channelFamily } from '../metrics';
import { GatewayCloseCode, ServerErrorCode, type ServerFrame } from '@rebal/gateway-client';
import { CLOSE_REASONS, encodeError, encodeFrame, parseClientFrame, RateLimiter, readRequestId, type AuthFrame, type ClientFrame, type FrameError, type SentCloseCode } from '../protocol';
import type { ConnectionAuth, ConnectionSession } from './connection-auth';
import type { ConnectionDeps } from './connection-deps';
import { handleFrame } from './handle-frame';
import { TokenTimers } from './token-timers';

/**
 * One WebSocket client. Inbound frames go through the rate limiter, the parser and a
 * per-connection queue (operations run one at a time, in order; `ping` is answered at once,
 * ahead of the queue). Outbound frames are checked against the send buffer limit: a client
 * that reads too slowly is closed with 4009 without holding anyone else up. Authentication
 * state, token expiry, subscriptions and the session live here; the operations themselves
 * are in `handle-frame`, `auth-operations` and `subscribe-operations`.
 */
export class ClientConnection implements SubscriptionSink {
  /** Connection id (also the session owner id). */
  readonly id = randomUUID();
  /** Shared gateway parts. */
  readonly deps: ConnectionDeps;
  /** Logger bound to this connection. */
  readonly logger: Logger;
  /** Set by a successful `auth`. */
  auth?: ConnectionAuth;
  /** Set with the first successful `auth`. */
  session?: ConnectionSession;

  private readonly ws: WebSocket;
  private readonly limiter: RateLimiter;
  private readonly subs = new Map<string, Subscription>();
  private readonly tokenTimers = new TokenTimers();
  private readonly authTimer: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();
  private heldBytes = 0;
  private peakBuffered = 0;
  private alive = true;
  private closeCode?: GatewayCloseCode;
  private closed = false;
  private sessionWrite?: Promise<void>;
  private changes = 0;
  private terminateTimer?: NodeJS.Timeout;
  /** Refreshes (`auth` frames received while authenticated) not run yet. */
  private refreshesQueued = 0;
  /** The token expired while a refresh was queued: closed with 4003 unless that refresh succeeds. */
  private expiredMeanwhile = false;
  /** Pings sent so far; each carries its number. */
  private pings = 0;
  /** Delivery confirmations waiting for the pong of their ping, in ping order. */
  private confirmations: Array<{ readonly ping: number; readonly resolve: (confirmed: boolean) => void }> = [];

  constructor(ws: WebSocket, deps: ConnectionDeps, remoteAddress?: string) {
    this.ws = ws;
    this.deps = deps;
    this.logger = deps.logger.child({ connection: this.id, remote: remoteAddress });
    const { limits } = deps;
    this.limiter = new RateLimiter({ ratePerSecond: limits.rateLimitPerSecond, burst: limits.rateLimitBurst, closeAfterDenials: limits.rateLimitCloseAfter });
    ws.on('message', this.onMessage);
    ws.on('close', this.onClose);
    ws.on('pong', this.onPong);
    ws.on('error', (error) => this.logger.debug({ err: error }, 'WebSocket error'));
    this.authTimer = setTimeout(() => this.closeWith(GatewayCloseCode.AuthTimeout), limits.authTimeoutMs);
    this.authTimer.unref();
    deps.metrics.connections.inc();
  }

  /** True until the connection closes or the server decides to close it. */
  get open(): boolean {
    return !this.closed && this.closeCode === undefined;
  }

  /** The subscriptions, by channel name. */
  get subscriptions(): ReadonlyMap<string, Subscription> {
    return this.subs;
  }

  /** Grows whenever a subscription is added or removed or its position moves (the session recorder's change check). */
  get subscriptionChanges(): number {
    return this.changes;
  }

  /** Largest send buffer (bytes queued in the process) seen after a send. */
  get peakBufferedBytes(): number {
    return this.peakBuffered;
  }

  /** Authenticates with a token from the upgrade URL (`?token=`), as if it were the first frame. */
  authenticateFromQuery(token: string, session: string | undefined): void {
    this.enqueue({ op: 'auth', token, ...(session === undefined ? {} : { session }) });
  }

  /** One heartbeat: terminates a connection that did not answer the previous ping, pings the others. */
  heartbeat(): void {
    if (this.closed) return;
    if (!this.alive) {
      this.logger.debug('no pong since the last ping: terminating');
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ping();
  }

  /**
   * Resolves true once the client has received every frame sent to it before this call: a
   * WebSocket ping goes out after them and TCP keeps order, so its pong (which every client
   * library sends by itself, browsers included) proves they arrived. Resolves false if the
   * connection closes first.
   */
  confirmDelivery(): Promise<boolean> {
    if (!this.open) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.confirmations.push({ ping: this.ping(), resolve });
    });
  }

  /** Sends a ping carrying its sequence number (echoed in the pong); returns the number. */
  private ping(): number {
    const sequence = ++this.pings;
    this.ws.ping(String(sequence));
    return sequence;
  }

  private readonly onPong = (data: Buffer): void => {
    this.alive = true;
    // A pong answers its ping and, the link being ordered, every ping before it.
    const answered = Number(data.toString('latin1'));
    if (!Number.isSafeInteger(answered) || answered > this.pings) return;
    while (this.confirmations.length > 0 && this.confirmations[0].ping <= answered) this.confirmations.shift()?.resolve(true);
  };

  /** Sends a control frame (anything but `event`). */
  sendFrame(frame: ServerFrame): void {
    this.sendText(encodeFrame(frame));
  }

  /** Sends an `error` frame. */
  sendError(error: FrameError & { readonly retryAfterMs?: number }): void {
    this.deps.metrics.errorFrames.inc({ code: error.code });
    this.sendText(encodeError(error));
  }

  /** Sends one live event frame (called by subscriptions). */
  sendEvent(_subscription: Subscription, _id: string, frame: Buffer): void {
    if (this.write(frame)) this.checkSendBuffer();
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
        this.ws.send(frame, { binary: false });
        continue;
      }
      sinceWait = 0;
      await new Promise<void>((resolve) => this.ws.send(frame, { binary: false }, () => resolve()));
    }
    this.checkSendBuffer();
    return this.open;
  }

  /** A subscription's position moved: the session has something new to record. */
  positionMoved(): void {
    this.changes++;
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
    const subscription = new Subscription(channel, this);
    this.subs.set(channel.name, subscription);
    this.changes++;
    this.deps.index.add(subscription);
    this.deps.metrics.subscriptions.inc({ channel: channelFamily(channel.stream, channel.subject) });
    return subscription;
  }

  /** Removes a subscription: no event of it is sent after this returns. */
  removeSubscription(subscription: Subscription): void {
    if (this.subs.get(subscription.channel.name) !== subscription) return;
    subscription.close();
    this.subs.delete(subscription.channel.name);
    this.changes++;
    this.deps.index.remove(subscription);
    this.deps.metrics.subscriptions.dec({ channel: channelFamily(subscription.channel.stream, subscription.channel.subject) });
  }

  /**
   * The client met the authentication deadline: its token was accepted. Opening the session
   * that follows is the server's own work (bounded by the Redis command timeout), which a
   * slow Redis must not turn into a 4002 for a client that did everything in time.
   */
  metAuthDeadline(): void {
    clearTimeout(this.authTimer);
  }

  /**
   * Marks the connection authenticated (first auth or refresh) and (re)arms the expiry timers.
   * At the expiry the connection is closed with 4003, unless a refresh received before it is
   * still queued: then the close waits for that refresh, and happens only if it fails.
   */
  authenticated(auth: ConnectionAuth): void {
    this.auth = auth;
    this.expiredMeanwhile = false;
    clearTimeout(this.authTimer);
    this.tokenTimers.schedule(auth.expiresAtMs, this.deps.limits.tokenExpiringLeadMs, {
      onExpiring: (expiresInMs) => this.open && this.sendFrame({ type: 'token_expiring', expiresAt: auth.expiresAtMs, expiresInMs }),
      onExpired: () => {
        if (this.refreshesQueued > 0) this.expiredMeanwhile = true;
        else this.closeWith(GatewayCloseCode.TokenExpired);
      },
    });
  }

  /**
   * Closes the connection with `code` (its reason text from the protocol). Subscriptions stop
   * at once; the close frame follows whatever is still buffered, and the socket is destroyed
   * if the client has not completed the close within the grace period. Idempotent.
   */
  closeWith(code: SentCloseCode): void {
    if (!this.open) return;
    this.closeCode = code;
    // Counted when decided: the close frame may wait behind a full buffer for a while.
    this.deps.metrics.disconnects.inc({ code: String(code) });
    this.stopActivity();
    this.ws.close(code, CLOSE_REASONS[code]);
    this.terminateTimer = setTimeout(() => this.ws.terminate(), this.deps.limits.slowConsumerCloseGraceMs);
    this.terminateTimer.unref();
  }

  /** Destroys the socket without a close handshake. */
  terminate(): void {
    this.ws.terminate();
  }

  private sendText(text: string): void {
    if (!this.write(text)) return;
    this.deps.metrics.messagesSent.inc({ kind: 'control' });
    this.deps.metrics.bytesSent.inc({ kind: 'control' }, Buffer.byteLength(text));
    this.checkSendBuffer();
  }

  /** Queues one text frame; a failure closes this connection (1011), never the fan-out. */
  private write(data: string | Buffer): boolean {
    if (!this.open) return false;
    try {
      this.ws.send(data, { binary: false });
      return true;
    } catch (error) {
      this.logger.error({ err: error }, 'sending a frame failed; closing the connection');
      this.closeWith(GatewayCloseCode.InternalError);
      return false;
    }
  }

  private checkSendBuffer(): void {
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.peakBuffered) this.peakBuffered = buffered;
    if (buffered + this.heldBytes > this.deps.limits.sendBufferLimitBytes && this.open) {
      this.logger.warn({ buffered, held: this.heldBytes }, 'slow consumer: send buffer limit exceeded, closing with 4009');
      this.closeWith(GatewayCloseCode.SlowConsumer);
    }
  }

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    if (!this.open) return;
    const decision = this.limiter.take(performance.now());
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
  };

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
    this.queue = this.queue.then(operation).finally(() => {
      if (refresh) this.refreshRan();
    });
  }

  private refreshRan(): void {
    this.refreshesQueued--;
    if (this.refreshesQueued === 0 && this.expiredMeanwhile) this.closeWith(GatewayCloseCode.TokenExpired);
  }

  /** Ends timers, session recording (capturing the channels first) and subscriptions. */
  private stopActivity(): void {
    clearTimeout(this.authTimer);
    this.tokenTimers.clear();
    for (const confirmation of this.confirmations.splice(0)) confirmation.resolve(false);
    this.sessionWrite ??= this.session?.recorder.stop() ?? Promise.resolve();
    for (const subscription of [...this.subs.values()]) this.removeSubscription(subscription);
    this.heldBytes = 0;
  }

  private readonly onClose = (code: number): void => {
    if (this.closed) return;
    this.stopActivity();
    clearTimeout(this.terminateTimer);
    this.closed = true;
    const { metrics } = this.deps;
    metrics.connections.dec();
    if (this.closeCode === undefined) metrics.disconnects.inc({ code: String(code) });
    this.logger.debug({ code, serverCode: this.closeCode }, 'connection closed');
    this.deps.onClosed(this, this.sessionWrite ?? Promise.resolve());
  };
}
