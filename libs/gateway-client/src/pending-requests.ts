import { GatewayClientError } from './gateway-client-error';
import type { ErrorFrame, ServerFrame } from './protocol';
import { startTimer, stopTimer, type TimerHandle } from './timers';

/** What to do with the outcome of one request. Called synchronously, while the reply frame is handled. */
export interface RequestHandlers {
  /** The reply frame (`welcome`, `authenticated`, `subscribed`, `unsubscribed`, `pong`). */
  readonly onReply: (frame: ServerFrame) => void;
  /** An `error` frame for the request, a timeout, or the connection dropped. */
  readonly onError: (error: GatewayClientError) => void;
}

interface Pending extends RequestHandlers {
  readonly timer: TimerHandle;
}

// Frame types that answer a request and carry its id back (docs/protocol.md, "Request ids").
const REPLY_TYPES: ReadonlySet<string> = new Set(['welcome', 'authenticated', 'subscribed', 'unsubscribed', 'pong', 'error']);

/**
 * Correlates requests with their replies by numeric request id. A reply runs `onReply`, an
 * `error` frame runs `onError` with a {@link GatewayClientError} carrying its code, and no
 * reply within the timeout runs `onError` with `request_timeout`. Handlers run synchronously
 * so that a reply is processed before the frames that follow it (e.g. replayed events).
 */
export class PendingRequests {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** Registers a request and returns its id. */
  create(timeoutMs: number, handlers: RequestHandlers): number {
    const id = this.nextId++;
    const timer = startTimer(() => {
      this.fail(id, new GatewayClientError('request_timeout', `no reply to request ${id} within ${timeoutMs} ms`));
    }, timeoutMs);
    this.pending.set(id, { ...handlers, timer });
    return id;
  }

  /** Settles the request `frame` answers; returns false when the frame is not a reply to a pending request. */
  settle(frame: ServerFrame): boolean {
    const id = 'id' in frame ? frame.id : undefined;
    if (!REPLY_TYPES.has(frame.type) || typeof id !== 'number') return false;
    const pending = this.pending.get(id);
    if (pending === undefined) return false;
    this.pending.delete(id);
    stopTimer(pending.timer);
    if (frame.type === 'error') pending.onError(errorFromFrame(frame));
    else pending.onReply(frame);
    return true;
  }

  /** Fails one request (e.g. its frame could not be sent). */
  fail(id: number, error: GatewayClientError): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    stopTimer(pending.timer);
    pending.onError(error);
  }

  /** Fails every pending request with `error` (the connection dropped, or the client closed). */
  failAll(error: GatewayClientError): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) {
      stopTimer(pending.timer);
      pending.onError(error);
    }
  }

  /** Number of requests awaiting a reply. */
  get size(): number {
    return this.pending.size;
  }
}

/** The {@link GatewayClientError} an `error` frame stands for. */
export function errorFromFrame(frame: ErrorFrame): GatewayClientError {
  return new GatewayClientError(frame.code as GatewayClientError['code'], typeof frame.message === 'string' ? frame.message : frame.code, {
    ...(typeof frame.channel === 'string' ? { channel: frame.channel } : {}),
    ...(typeof frame.retryAfterMs === 'number' ? { retryAfterMs: frame.retryAfterMs } : {}),
  });
}
