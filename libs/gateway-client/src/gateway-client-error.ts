import type { ServerErrorCode } from './protocol';

/** Error codes raised by the client itself (server codes are {@link ServerErrorCode}). */
export type ClientErrorCode =
  /** The client was closed: pending operations are rejected. */
  | 'closed'
  /** The connection dropped while a request was in flight. */
  | 'disconnected'
  /** An operation needs an authenticated connection. */
  | 'not_connected'
  /** No reply to a request within `requestTimeoutMs`. */
  | 'request_timeout'
  /** No `welcome` within `connectTimeoutMs` of starting a connection. */
  | 'connect_timeout'
  /** No `pong` to the idle `ping` within `pongTimeoutMs`. */
  | 'heartbeat_timeout'
  /** The token function threw or rejected. */
  | 'token_unavailable'
  /** The server sent a frame that is not valid protocol JSON. */
  | 'protocol_error'
  /** The WebSocket could not be created (bad URL, no WebSocket implementation). */
  | 'connect_failed'
  /** The server closed the connection with a code that forbids reconnecting (1000, or 4001/4003 with a fixed token). */
  | 'connection_closed'
  /** The channel was unsubscribed (or revoked) before its subscription completed. */
  | 'unsubscribed'
  /** A bad argument, e.g. a `since` that is not a stream id. */
  | 'invalid_argument';

/** Every code a {@link GatewayClientError} may carry. */
export type GatewayClientErrorCode = ServerErrorCode | ClientErrorCode;

/** Extra facts about an error. */
export interface GatewayErrorDetails {
  /** The channel the error is about. */
  readonly channel?: string;
  /** The WebSocket close code that ended the connection. */
  readonly closeCode?: number;
  /** For `rate_limited`: ms until the server accepts an operation again. */
  readonly retryAfterMs?: number;
}

/** An error of the gateway client, with a stable `code` to switch on (never the message). */
export class GatewayClientError extends Error {
  /** Stable error code. */
  readonly code: GatewayClientErrorCode;
  /** The channel the error is about, when there is one. */
  readonly channel?: string;
  /** The close code that ended the connection, when there is one. */
  readonly closeCode?: number;
  /** For `rate_limited`: ms until the server accepts an operation again. */
  readonly retryAfterMs?: number;

  constructor(code: GatewayClientErrorCode, message: string, details: GatewayErrorDetails = {}) {
    super(message);
    this.name = 'GatewayClientError';
    this.code = code;
    if (details.channel !== undefined) this.channel = details.channel;
    if (details.closeCode !== undefined) this.closeCode = details.closeCode;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }

  /** The details as a plain object (for the `error` event). */
  get details(): GatewayErrorDetails {
    return {
      ...(this.channel === undefined ? {} : { channel: this.channel }),
      ...(this.closeCode === undefined ? {} : { closeCode: this.closeCode }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    };
  }
}
