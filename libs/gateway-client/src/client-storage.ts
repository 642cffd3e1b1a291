import { isStreamId } from './protocol';

/**
 * Where the client keeps its session id and its last stream id per channel between page loads:
 * the part of the Web Storage API it uses, so `sessionStorage` and `localStorage` fit as they
 * are. Calls may throw (a full quota, storage disabled): the client then goes on without it.
 */
export interface ClientStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A {@link ClientStorage} in memory: what a client uses where no `sessionStorage` exists (Node). */
export class MemoryStorage implements ClientStorage {
  private readonly items = new Map<string, string>();

  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }

  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }

  removeItem(key: string): void {
    this.items.delete(key);
  }
}

/** The browser's `sessionStorage` when there is one (and it can be used), else a new {@link MemoryStorage}. */
export function defaultClientStorage(): ClientStorage {
  try {
    const storage = (globalThis as { sessionStorage?: ClientStorage }).sessionStorage;
    if (storage !== undefined && typeof storage.getItem === 'function' && typeof storage.setItem === 'function') return storage;
  } catch {
    // Reading sessionStorage throws where storage is disabled (sandboxed frames, some privacy modes).
  }
  return new MemoryStorage();
}

/** What a client persists. */
export interface PersistedState {
  /** The session id of the last `welcome`. */
  readonly session?: string;
  /** The last stream id delivered per channel. */
  readonly positions: Readonly<Record<string, string>>;
}

const SESSION_ID = /^[A-Za-z0-9_-]{8,128}$/;
/** Keys claimed by the clients of this page (or process) on shared storage. */
const claimed = new Set<string>();

/** The default storage key of a gateway URL: its query (which may carry a token) left out. */
export function storageKeyFor(url: string): string {
  const query = url.indexOf('?');
  return `rebal-gateway:${query === -1 ? url : url.slice(0, query)}`;
}

/**
 * A client's persisted state under one storage key. Several clients of one page on the same
 * storage and URL must not share a key (each would overwrite the other's positions): the first
 * gets `key`, the next `key#2` and so on, released by {@link release}; a reloaded page that
 * creates its clients in the same order finds each one's state again.
 */
export class PersistedClientState {
  /** The key actually used. */
  readonly key: string;
  private readonly storage: ClientStorage;
  private readonly shared: boolean;

  /** @param shared whether other clients may use `storage` (then the key is claimed, see the class comment) */
  constructor(storage: ClientStorage, key: string, shared: boolean) {
    this.storage = storage;
    this.shared = shared;
    let claim = key;
    if (shared) {
      for (let n = 2; claimed.has(claim); n++) claim = `${key}#${n}`;
      claimed.add(claim);
    }
    this.key = claim;
  }

  /** What was stored (nothing when absent, unreadable or malformed; malformed entries are dropped). */
  load(): PersistedState {
    let text: string | null;
    try {
      text = this.storage.getItem(this.key);
    } catch {
      return { positions: {} };
    }
    if (text === null) return { positions: {} };
    try {
      const value = JSON.parse(text) as { v?: unknown; session?: unknown; positions?: unknown };
      if (value.v !== 1) return { positions: {} };
      const positions: Record<string, string> = {};
      if (typeof value.positions === 'object' && value.positions !== null) {
        for (const [channel, id] of Object.entries(value.positions)) if (typeof channel === 'string' && channel.length > 0 && isStreamId(id)) positions[channel] = id;
      }
      return typeof value.session === 'string' && SESSION_ID.test(value.session) ? { session: value.session, positions } : { positions };
    } catch {
      return { positions: {} };
    }
  }

  /** Stores `state`, replacing what was there; a storage that refuses is ignored (the client still resumes within its own lifetime). */
  save(state: PersistedState): void {
    try {
      this.storage.setItem(this.key, JSON.stringify({ v: 1, ...(state.session === undefined ? {} : { session: state.session }), positions: state.positions }));
    } catch {
      // Quota exceeded or storage disabled.
    }
  }

  /** Gives the key back for another client of this page (the stored state stays). Idempotent. */
  release(): void {
    if (this.shared) claimed.delete(this.key);
  }
}
