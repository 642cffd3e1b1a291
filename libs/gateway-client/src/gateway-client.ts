import { PersistedClientState } from './client-storage';
import { decideOnClose, reconnectDelay } from './close-policy';
import type { ConnectionState } from './connection-state';
import { fetchToken } from './fetch-token';
import { GatewayClientError } from './gateway-client-error';
import type { GatewayClientEvents } from './gateway-client-events';
import { DEFAULT_RECONNECT, resolveGatewayClientOptions, type GatewayClientOptions, type ResolvedGatewayClientOptions } from './gateway-client-options';
import { IdleWatchdog } from './idle-watchdog';
import { PendingRequests, type RequestHandlers } from './pending-requests';
import {
  isStreamId,
  parseServerFrame,
  type AuthenticatedFrame,
  type ClientFrame,
  type PongFrame,
  type ServerFrame,
  type SubscribedChannel,
  type TokenExpiringFrame,
  type WelcomeFrame,
} from './protocol';
import { closeQuietly, messageOf, settleWithin } from './socket-helpers';
import { GONE_ERRORS, SubscriptionSync } from './subscription-sync';
import { startTimer, stopTimer, type TimerHandle } from './timers';
import { TypedEmitter } from './typed-emitter';
import { WEBSOCKET_OPEN, type WebSocketLike } from './websocket-like';

/** Options of {@link GatewayClient.subscribe}. */
export interface SubscribeOptions {
  /** The last stream id already seen on the channel: the events after it are replayed (default: the client's own last id, if any). */
  since?: string;
}

/** A client frame without its request id (the client assigns one). */
type Outgoing = { [Op in ClientFrame['op']]: Omit<Extract<ClientFrame, { op: Op }>, 'id'> }[ClientFrame['op']];

/** One socket's lifetime. */
interface Connection {
  readonly socket: WebSocketLike;
  readonly closed: Promise<void>;
  /** The code of an `error` answering the first `auth`, so the close that follows does not report it twice. */
  authError?: string;
}

/**
 * A client of the streaming gateway (docs/protocol.md) for browsers and Node: authenticates
 * with a token (or a function fetching one), subscribes to channels, reconnects with
 * jittered exponential backoff, and on every reconnect resumes its session and resubscribes
 * each channel with `since` = the last stream id it delivered, so no event is lost or
 * delivered twice. It keeps the session id and those ids in `storage` (`sessionStorage` in
 * browsers) as they change, so a new client (a reloaded page) resumes the same way.
 * Listen with `on('message' | 'recovered' | 'error' | 'state' | ...)`.
 *
 * `connect()` resolves with the first `welcome` and keeps retrying transient failures; it
 * rejects only when the client ends (`close()`, or a refused fixed token).
 */
export class GatewayClient extends TypedEmitter<GatewayClientEvents> {
  private readonly options: ResolvedGatewayClientOptions;
  private readonly subscriptions: SubscriptionSync;
  private readonly persisted: PersistedClientState;
  private readonly requests = new PendingRequests();
  private stateValue: ConnectionState = 'idle';
  /** Incremented whenever a connection ends: callbacks of older connections compare and bail out. */
  private generation = 0;
  private connection: Connection | undefined;
  private welcomeFrame: WelcomeFrame | undefined;
  /** A `token_expiring` received on the current connection before its `welcome`. */
  private earlyExpiring: TokenExpiringFrame | undefined;
  private sessionIdValue: string | undefined;
  private attempt = 0;
  private reconnectTimer: TimerHandle | undefined;
  private connectTimer: TimerHandle | undefined;
  private watchdog: IdleWatchdog | undefined;
  private connectWaiters: { resolve: (frame: WelcomeFrame) => void; reject: (error: GatewayClientError) => void }[] = [];
  private closing: Promise<void> | undefined;

  /** Checks the options (throws `GatewayClientError` `invalid_argument`); does not connect. */
  constructor(options: GatewayClientOptions) {
    super();
    this.options = resolveGatewayClientOptions(options);
    this.persisted = new PersistedClientState(this.options.storage, this.options.storageKey, this.options.storageShared);
    const saved = this.persisted.load();
    this.sessionIdValue = this.options.initialSession ?? (this.options.sessionStore === undefined ? saved.session : undefined);
    this.subscriptions = new SubscriptionSync(
      {
        send: (frame, handlers) => this.send(frame, this.options.requestTimeoutMs, handlers),
        ready: () => this.stateValue === 'authenticated',
        maxChannelsPerFrame: () => this.welcomeFrame?.limits?.maxChannelsPerFrame ?? 100,
        error: (error) => this.emitError(error),
        recovered: (entry) => this.emit('recovered', entry.channel, entry.recovered, entry.reason),
        positionsChanged: () => this.persist(),
      },
      this.options.reconnect || DEFAULT_RECONNECT,
      this.options.random,
    );
    this.subscriptions.restore(saved.positions);
  }

  /** The connection state. */
  get state(): ConnectionState {
    return this.stateValue;
  }

  /** The session id the gateway assigned (sent with every reconnect), or the one given in the options. */
  get sessionId(): string | undefined {
    return this.sessionIdValue ?? this.options.sessionStore?.load();
  }

  /** The latest `welcome` frame (grants, limits, session), once authenticated. */
  get welcome(): WelcomeFrame | undefined {
    return this.welcomeFrame;
  }

  /** The channels the client is subscribed to or subscribing to (kept across reconnects). */
  get channels(): string[] {
    return this.subscriptions.channels();
  }

  /** The last stream id delivered (or given as `since`, or kept in `storage` by an earlier client) on `channel`. */
  lastId(channel: string): string | undefined {
    return this.subscriptions.lastId(channel);
  }

  /** The key of this client's entry in `storage`. */
  get storageKey(): string {
    return this.persisted.key;
  }

  /** Starts connecting (no-op when already started); resolves with the first `welcome`. */
  connect(): Promise<WelcomeFrame> {
    if (this.stateValue === 'closed') return Promise.reject(new GatewayClientError('closed', 'the client is closed'));
    if (this.stateValue === 'authenticated' && this.welcomeFrame !== undefined) return Promise.resolve(this.welcomeFrame);
    const welcome = new Promise<WelcomeFrame>((resolve, reject) => this.connectWaiters.push({ resolve, reject }));
    if (this.stateValue === 'idle') void this.openConnection();
    return welcome;
  }

  /**
   * Subscribes to `channel` (e.g. `market_data`, `market_data:BTC`), now or as soon as the
   * connection is authenticated; calls in the same tick share one `subscribe` frame. Resolves
   * with the channel's `subscribed` entry; rejects when the gateway refuses the channel
   * (`not_granted`, `unknown_channel`, `invalid_channel`, ...) or the client closes.
   */
  subscribe(channel: string, options: SubscribeOptions = {}): Promise<SubscribedChannel> {
    if (this.stateValue === 'closed') return Promise.reject(new GatewayClientError('closed', 'the client is closed'));
    if (typeof channel !== 'string' || channel.length === 0) {
      return Promise.reject(new GatewayClientError('invalid_argument', 'channel must be a non-empty string'));
    }
    if (options.since !== undefined && !isStreamId(options.since)) {
      return Promise.reject(new GatewayClientError('invalid_argument', 'since must be a stream id like 1712345678901-0', { channel }));
    }
    return this.subscriptions.subscribe(channel, options.since);
  }

  /** Subscribes to several channels at once; `since` maps channels to their last seen ids. */
  subscribeMany(channels: readonly string[], options: { since?: Readonly<Record<string, string>> } = {}): Promise<SubscribedChannel[]> {
    return Promise.all([...new Set(channels)].map((channel) => this.subscribe(channel, { since: options.since?.[channel] })));
  }

  /** Unsubscribes (idempotent); forgets the channels' positions. Pending `subscribe` calls for them reject with `unsubscribed`. */
  unsubscribe(channels: string | readonly string[]): Promise<void> {
    return this.subscriptions.unsubscribe([...new Set(typeof channels === 'string' ? [channels] : channels)]);
  }

  /** Refreshes the token on the live connection with a new one from the token source; resolves with `authenticated`. */
  async refreshToken(): Promise<AuthenticatedFrame> {
    if (this.stateValue !== 'authenticated') throw new GatewayClientError('not_connected', 'the connection is not authenticated');
    const generation = this.generation;
    const token = await fetchToken(this.options.token);
    if (generation !== this.generation) throw new GatewayClientError('disconnected', 'the connection dropped during the refresh');
    const frame = await this.requestPromise({ op: 'auth', token });
    if (frame.type !== 'authenticated') throw new GatewayClientError('protocol_error', `expected authenticated, got ${frame.type}`);
    this.emit('authenticated', frame);
    return frame;
  }

  /** An application-level round trip; resolves with the `pong`. */
  async ping(): Promise<PongFrame> {
    const frame = await this.requestPromise({ op: 'ping' }, this.options.pongTimeoutMs);
    if (frame.type !== 'pong') throw new GatewayClientError('protocol_error', `expected pong, got ${frame.type}`);
    return frame;
  }

  /** Closes the connection and stops reconnecting (idempotent); pending operations reject with `closed`. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    const connection = this.connection;
    this.finish(new GatewayClientError('closed', 'the client was closed'), false);
    this.closing = connection === undefined ? Promise.resolve() : settleWithin(connection.closed, 2_000);
    return this.closing;
  }

  private async openConnection(): Promise<void> {
    const generation = ++this.generation;
    this.setState('connecting');
    this.connectTimer = startTimer(
      () => this.lose(generation, 1006, 'connect timeout', new GatewayClientError('connect_timeout', `no welcome within ${this.options.connectTimeoutMs} ms`)),
      this.options.connectTimeoutMs,
    );
    let token: string;
    try {
      token = await fetchToken(this.options.token);
    } catch (error) {
      this.lose(generation, 1006, 'no token', error as GatewayClientError);
      return;
    }
    if (generation !== this.generation) return;
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(this.options.url) as WebSocketLike;
    } catch (error) {
      this.lose(generation, 1006, 'connect failed', new GatewayClientError('connect_failed', `cannot open a WebSocket: ${messageOf(error)}`));
      return;
    }
    let markClosed = (): void => undefined;
    const connection: Connection = { socket, closed: new Promise<void>((resolve) => (markClosed = resolve)) };
    this.connection = connection;
    socket.onopen = () => {
      if (generation === this.generation) this.authenticate(generation, connection, token);
    };
    socket.onmessage = (event) => {
      if (generation === this.generation) this.onFrame(generation, event.data);
    };
    // An error event is always followed by a close event, which decides what happens next.
    socket.onerror = () => undefined;
    socket.onclose = (event) => {
      markClosed();
      this.lose(generation, event.code, event.reason ?? '');
    };
  }

  private authenticate(generation: number, connection: Connection, token: string): void {
    this.setState('open');
    // Browsers cannot see the server's WebSocket pings: ping when the line has been silent.
    this.watchdog = new IdleWatchdog(this.options.idlePingMs, () => {
      if (this.stateValue === 'authenticated') this.pingOrDrop(generation);
    });
    const session = this.sessionId;
    this.send({ op: 'auth', token, ...(session === undefined ? {} : { session }) }, this.options.requestTimeoutMs, {
      onReply: (frame) => {
        if (frame.type === 'welcome') this.onWelcome(frame);
      },
      onError: (error) => {
        if (generation !== this.generation || GONE_ERRORS.has(error.code)) return;
        connection.authError = error.code;
        this.emitError(error);
      },
    });
  }

  private onWelcome(frame: WelcomeFrame): void {
    stopTimer(this.connectTimer);
    this.attempt = 0;
    this.welcomeFrame = frame;
    this.sessionIdValue = frame.session.id;
    try {
      this.options.sessionStore?.save(frame.session.id);
    } catch {
      // Storage can refuse (quota, private browsing); the client still resumes within its own lifetime.
    }
    this.persist();
    this.setState('authenticated');
    for (const waiter of this.connectWaiters.splice(0)) waiter.resolve(frame);
    this.emit('welcome', frame);
    this.subscriptions.sync();
    const early = this.earlyExpiring;
    this.earlyExpiring = undefined;
    if (early !== undefined) this.onTokenExpiring(early);
  }

  private onFrame(generation: number, data: unknown): void {
    this.watchdog?.touch();
    if (typeof data !== 'string') {
      this.emitError(new GatewayClientError('protocol_error', 'ignored a binary frame from the gateway'));
      return;
    }
    const parsed = parseServerFrame(data);
    if (parsed.kind === 'unknown') return;
    if (parsed.kind === 'invalid') {
      this.emitError(new GatewayClientError('protocol_error', `ignored a frame from the gateway: ${parsed.reason}`));
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'event') {
      if (this.subscriptions.deliver(frame.channel, frame.id)) this.emit('message', frame.channel, frame.id, frame.event);
      return;
    }
    if (this.requests.settle(frame) || generation !== this.generation) return;
    if (frame.type === 'unsubscribed' && frame.reason === 'revoked') {
      this.subscriptions.revoke(frame.channels);
      this.emit('revoked', frame.channels);
    } else if (frame.type === 'token_expiring') {
      // A refresh needs an authenticated connection: a notice ahead of `welcome` waits for it.
      if (this.stateValue === 'authenticated') this.onTokenExpiring(frame);
      else this.earlyExpiring = frame;
    } else if (frame.type === 'error') {
      this.emitError(new GatewayClientError(frame.code as GatewayClientError['code'], frame.message, frame.channel === undefined ? {} : { channel: frame.channel }));
    }
  }

  private onTokenExpiring(frame: TokenExpiringFrame): void {
    this.emit('tokenExpiring', frame.expiresAt);
    if (typeof this.options.token === 'function' && this.options.refreshOnTokenExpiring) {
      this.refreshToken().catch((error: GatewayClientError) => this.emitError(error));
    }
  }

  private pingOrDrop(generation: number): void {
    this.send({ op: 'ping' }, this.options.pongTimeoutMs, {
      onReply: () => undefined,
      onError: (error) => {
        if (error.code !== 'request_timeout') return;
        this.lose(generation, 1006, 'heartbeat timeout', new GatewayClientError('heartbeat_timeout', `no pong within ${this.options.pongTimeoutMs} ms`));
      },
    });
  }

  /**
   * The connection of `generation` ended (socket closed, or given up locally): reset the
   * per-connection state, then reconnect after the delay the close code calls for, or end.
   */
  private lose(generation: number, closeCode: number, reason: string, error?: GatewayClientError): void {
    if (generation !== this.generation || this.stateValue === 'closed') return;
    this.generation++;
    const connection = this.connection;
    this.connection = undefined;
    this.stopTimers();
    if (connection !== undefined && connection.socket.readyState <= WEBSOCKET_OPEN) closeQuietly(connection.socket, 4000, reason);
    this.subscriptions.connectionLost();
    this.requests.failAll(new GatewayClientError('disconnected', 'the connection dropped'));
    if (error !== undefined) this.emitError(error);
    if (connection !== undefined) this.emit('disconnect', closeCode, reason);
    let decision = decideOnClose(closeCode, typeof this.options.token === 'function');
    if (decision.action === 'reconnect' && this.options.reconnect === false) decision = { action: 'stop', code: 'connection_closed' };
    if (decision.action === 'stop') {
      // A refused first token was already reported by its error frame.
      const reported = connection?.authError === decision.code;
      const message = `the connection ended (${closeCode}${reason ? ` ${reason}` : ''}) and is not retried`;
      this.finish(new GatewayClientError(decision.code, message, { closeCode }), !reported);
      return;
    }
    const delay = reconnectDelay(decision.delay, this.attempt++, this.options.reconnect || DEFAULT_RECONNECT, this.options.random);
    this.setState('reconnecting');
    this.reconnectTimer = startTimer(() => void this.openConnection(), delay);
  }

  /** Ends the client for good: state `closed`, every pending operation rejected with `error`. */
  private finish(error: GatewayClientError, report: boolean): void {
    this.generation++;
    this.stopTimers();
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined && connection.socket.readyState <= WEBSOCKET_OPEN) closeQuietly(connection.socket, 1000, 'client closed');
    this.requests.failAll(error);
    this.subscriptions.close(error);
    for (const waiter of this.connectWaiters.splice(0)) waiter.reject(error);
    this.persisted.release();
    this.closing ??= Promise.resolve();
    this.setState('closed');
    if (report) this.emitError(error);
  }

  private stopTimers(): void {
    this.earlyExpiring = undefined;
    stopTimer(this.reconnectTimer);
    stopTimer(this.connectTimer);
    this.watchdog?.stop();
    this.reconnectTimer = this.connectTimer = this.watchdog = undefined;
  }

  private send(frame: Outgoing, timeoutMs: number, handlers: RequestHandlers): void {
    const socket = this.connection?.socket;
    if (socket === undefined || socket.readyState !== WEBSOCKET_OPEN) {
      handlers.onError(new GatewayClientError('not_connected', 'the connection is not open'));
      return;
    }
    const id = this.requests.create(timeoutMs, handlers);
    try {
      socket.send(JSON.stringify({ ...frame, id }));
    } catch (error) {
      this.requests.fail(id, new GatewayClientError('disconnected', `sending failed: ${messageOf(error)}`));
    }
  }

  private requestPromise(frame: Outgoing, timeoutMs = this.options.requestTimeoutMs): Promise<ServerFrame> {
    return new Promise((resolve, reject) => this.send(frame, timeoutMs, { onReply: resolve, onError: reject }));
  }

  /** Keeps the session id and the positions in `storage` (on every change: they must survive a page unload at any moment). */
  private persist(): void {
    this.persisted.save({ ...(this.sessionIdValue === undefined ? {} : { session: this.sessionIdValue }), positions: this.subscriptions.positions() });
  }

  private setState(next: ConnectionState): void {
    const previous = this.stateValue;
    if (previous === next) return;
    this.stateValue = next;
    this.emit('state', next, previous);
  }

  private emitError(error: GatewayClientError): void {
    this.emit('error', error.code, error.message, error.details);
  }
}
