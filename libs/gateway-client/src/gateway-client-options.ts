import type { BackoffOptions } from './backoff-delay';
import { defaultClientStorage, storageKeyFor, type ClientStorage } from './client-storage';
import { GatewayClientError } from './gateway-client-error';
import type { WebSocketConstructor } from './websocket-like';

/** Where the client keeps its session id between page loads or processes (e.g. `sessionStorage`). */
export interface SessionStore {
  /** The stored session id, if any. */
  load(): string | undefined;
  /** Stores the session id the gateway assigned (called after every `welcome`). */
  save(sessionId: string): void;
}

/** A JWT, or a function that fetches a fresh one (called for every connection and refresh). */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of `GatewayClient`. */
export interface GatewayClientOptions {
  /** The gateway's WebSocket URL, `ws://host:8080/ws` or `wss://host/ws`. Required. */
  url: string;
  /**
   * The JWT, or a function returning one. With a function the client refreshes the token on
   * `token_expiring` and reconnects after 4003 (token expired) with a fresh one; a fixed token
   * that is refused (4001) or expires (4003) ends the client. Required.
   */
  token: TokenSource;
  /**
   * Reconnect backoff (defaults: `baseMs` 500, `maxMs` 30 000, `jitter` `full`), or `false`
   * to never reconnect (a lost connection closes the client).
   */
  reconnect?: Partial<BackoffOptions> | false;
  /**
   * The WebSocket implementation (default `globalThis.WebSocket`: browsers and Node 22+).
   * On Node 20 pass the `ws` package's `WebSocket`.
   */
  WebSocket?: WebSocketConstructor;
  /**
   * The session to resume: an id from an earlier `welcome`, or a store that loads and saves it
   * (default: the id kept in `storage`; the client also keeps it across its own reconnects).
   */
  session?: string | SessionStore;
  /**
   * Where the session id and the last stream id of each channel are kept, so a new client (a
   * reloaded page) resumes where the last one stopped: it sends those ids as `since`. Default:
   * `sessionStorage` where it exists (browsers: per tab, survives reloads), else memory (this
   * client's lifetime only). Pass `localStorage` or your own `{ getItem, setItem, removeItem }`.
   */
  storage?: ClientStorage;
  /**
   * The key of this client's entry in `storage` (default `rebal-gateway:<url without query>`).
   * Clients of one page sharing storage and URL get `#2`, `#3`... appended in the order they
   * are created, so each keeps its own positions.
   */
  storageKey?: string;
  /** Refresh the token on `token_expiring` when `token` is a function (default true). */
  refreshOnTokenExpiring?: boolean;
  /** How long to wait for the reply to a request (`subscribe`, `auth`, ...), ms (default 10 000). */
  requestTimeoutMs?: number;
  /** How long a connection may take from start to `welcome` before it is retried, ms (default 10 000). */
  connectTimeoutMs?: number;
  /** Send an application `ping` after this long without any frame, ms (default 45 000). */
  idlePingMs?: number;
  /** Reconnect when the `pong` does not come within this long, ms (default 10 000). */
  pongTimeoutMs?: number;
  /** Random source in [0, 1) for the jitter (default `Math.random`; tests pin it). */
  random?: () => number;
}

/** {@link GatewayClientOptions} with every default applied. */
export interface ResolvedGatewayClientOptions {
  readonly url: string;
  readonly token: TokenSource;
  readonly reconnect: BackoffOptions | false;
  readonly WebSocket: WebSocketConstructor;
  readonly sessionStore: SessionStore | undefined;
  readonly initialSession: string | undefined;
  readonly storage: ClientStorage;
  /** Whether `storage` may be shared with other clients (not the client's own memory). */
  readonly storageShared: boolean;
  readonly storageKey: string;
  readonly refreshOnTokenExpiring: boolean;
  readonly requestTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly idlePingMs: number;
  readonly pongTimeoutMs: number;
  readonly random: () => number;
}

/** The reconnect defaults: 0.5 s doubling to 30 s, full jitter (docs/protocol.md, client checklist). */
export const DEFAULT_RECONNECT: BackoffOptions = { baseMs: 500, maxMs: 30_000, jitter: 'full' };

/**
 * Applies the defaults and checks every option; throws `GatewayClientError` with code
 * `invalid_argument` naming the option at fault.
 */
export function resolveGatewayClientOptions(options: GatewayClientOptions): ResolvedGatewayClientOptions {
  const bad = (message: string): GatewayClientError => new GatewayClientError('invalid_argument', message);
  if (typeof options.url !== 'string' || !/^wss?:\/\/[^\s]+$/.test(options.url)) throw bad('url must be a ws:// or wss:// URL');
  const token = options.token;
  if (typeof token !== 'function' && (typeof token !== 'string' || token.length === 0)) {
    throw bad('token must be a non-empty string or a function returning one');
  }
  const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof WebSocketImpl !== 'function') {
    throw bad('no WebSocket implementation: pass the WebSocket option (e.g. the `ws` package on Node 20)');
  }
  const reconnect = options.reconnect === false ? false : { ...DEFAULT_RECONNECT, ...options.reconnect };
  if (reconnect !== false) {
    positive('reconnect.baseMs', reconnect.baseMs);
    positive('reconnect.maxMs', reconnect.maxMs);
    if (reconnect.maxMs < reconnect.baseMs) throw bad('reconnect.maxMs must be at least reconnect.baseMs');
    if (reconnect.jitter !== 'full' && reconnect.jitter !== 'none') throw bad("reconnect.jitter must be 'full' or 'none'");
  }
  const session = options.session;
  if (session !== undefined && typeof session !== 'string' && (typeof session.load !== 'function' || typeof session.save !== 'function')) {
    throw bad('session must be a session id or a store with load() and save()');
  }
  const storage = options.storage;
  if (storage !== undefined && (typeof storage !== 'object' || storage === null || typeof storage.getItem !== 'function' || typeof storage.setItem !== 'function' || typeof storage.removeItem !== 'function')) {
    throw bad('storage must have getItem(), setItem() and removeItem() (e.g. sessionStorage)');
  }
  if (options.storageKey !== undefined && (typeof options.storageKey !== 'string' || options.storageKey.length === 0)) throw bad('storageKey must be a non-empty string');
  const ownStorage = storage === undefined ? defaultClientStorage() : storage;
  const resolved: ResolvedGatewayClientOptions = {
    url: options.url,
    token,
    reconnect,
    WebSocket: WebSocketImpl,
    sessionStore: typeof session === 'object' ? session : undefined,
    initialSession: typeof session === 'string' && session.length > 0 ? session : undefined,
    storage: ownStorage,
    storageShared: storage !== undefined || (globalThis as { sessionStorage?: unknown }).sessionStorage === ownStorage,
    storageKey: options.storageKey ?? storageKeyFor(options.url),
    refreshOnTokenExpiring: options.refreshOnTokenExpiring ?? true,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    idlePingMs: options.idlePingMs ?? 45_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 10_000,
    random: options.random ?? Math.random,
  };
  positive('requestTimeoutMs', resolved.requestTimeoutMs);
  positive('connectTimeoutMs', resolved.connectTimeoutMs);
  positive('idlePingMs', resolved.idlePingMs);
  positive('pongTimeoutMs', resolved.pongTimeoutMs);
  return resolved;

  function positive(name: string, value: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw bad(`${name} must be a positive number of milliseconds`);
  }
}
