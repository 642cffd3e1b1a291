/**
 * The part of the WHATWG WebSocket API the client uses. Browsers' and Node 22's
 * `globalThis.WebSocket` and the `ws` package all provide it (`ws` delivers text frames as
 * strings through `onmessage`).
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Called when the connection opens. */
  onopen: ((event: unknown) => void) | null;
  /** Called for every received message; `data` is a string for text frames. */
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  /** Called once when the connection has closed. */
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null;
  /** Called on a connection error (a close follows). */
  onerror: ((event: unknown) => void) | null;
  /** Sends a text frame. */
  send(data: string): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
}

/**
 * A WebSocket constructor: `globalThis.WebSocket` or the `ws` package's default export.
 * Typed loosely (any class constructible from a URL) because the implementations' own
 * handler types differ; the instance is used through {@link WebSocketLike}.
 */
export type WebSocketConstructor = new (url: string) => object;

/** `readyState` of an open socket. */
export const WEBSOCKET_OPEN = 1;
