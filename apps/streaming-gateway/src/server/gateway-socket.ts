import type { Socket } from 'node:net';
import { WebSocket, type RawData } from 'ws';

/** Where a {@link GatewaySocket} hands its events: the client connection that owns it. */
export interface GatewaySocketEvents {
  /** A text or binary message. */
  onMessage(data: RawData, isBinary: boolean): void;
  /** A pong, with the payload it echoes. */
  onPong(data: Buffer): void;
  /**
   * The peer's close frame arrived: it started the close, or answered ours. The closing
   * handshake completes (ws answers, or ends the TCP connection) once the returned promise
   * settles, or after {@link PEER_CLOSE_WAIT_MS}: so whatever it records (the session) is
   * recorded before the client sees the connection closed.
   */
  onPeerClose(): Promise<void> | void;
  /** The socket closed, with the close code ws reports (1006 without a close frame). */
  onClose(code: number): void;
  /** A socket or protocol error (ws closes the connection by itself). */
  onError(error: Error): void;
}

/** The internals of a ws `WebSocket` that {@link GatewaySocket.writeRaw} relies on (ws 8). */
interface WsInternals {
  _readyState: number;
  _closeFrameReceived: boolean;
  _socket: Socket | null;
  _sender: { _state: number; _queue: unknown[] } | null;
}

/** ws's `Sender` state when it writes a frame at once (not deflating, not reading a Blob). */
const SENDER_IDLE = 0;

/** Longest time the end of a closing handshake waits for `onPeerClose`. */
export const PEER_CLOSE_WAIT_MS = 2_000;

function within(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/**
 * The ws `WebSocket` of every gateway connection (the `WebSocket` option of the server). It
 * costs less per connection and per delivery than the stock one with listeners:
 * - its events go straight to its connection (`events`): no listener entries and no closures
 *   per connection;
 * - it answers pings itself (ws's automatic pong keeps a closure per socket; the server turns
 *   it off);
 * - {@link writeRaw} writes an event frame framed once for all subscribers straight to the
 *   TCP socket, where ws's `send` would frame it again for each of them.
 */
export class GatewaySocket extends WebSocket {
  /** The connection that owns this socket (set right after the upgrade). */
  events?: GatewaySocketEvents;
  /** `onPeerClose` was called. */
  private peerCloseHandled = false;

  /** Whether the peer sent its close frame: after a close we started, proof it read every frame sent before ours. */
  get closeFrameReceived(): boolean {
    return (this as unknown as WsInternals)._closeFrameReceived;
  }

  /**
   * ws calls this itself when the peer's close frame arrives (to answer it, or to end the
   * connection after ours): that step waits for `events.onPeerClose` first. Other calls
   * (the gateway closing a connection) go through at once.
   */
  override close(code?: number, data?: string | Buffer): void {
    const events = this.events;
    if (events === undefined || this.peerCloseHandled || !this.closeFrameReceived) {
      super.close(code, data);
      return;
    }
    this.peerCloseHandled = true;
    const recorded = events.onPeerClose();
    if (recorded === undefined) {
      super.close(code, data);
      return;
    }
    void within(recorded, PEER_CLOSE_WAIT_MS).then(() => super.close(code, data));
  }

  /** The TCP socket (null before the upgrade completed). */
  get rawSocket(): Socket | null {
    return (this as unknown as WsInternals)._socket;
  }

  /**
   * Writes complete WebSocket frames (made once for many sockets by `frameText`, `framePing`,
   * protocol) straight to the TCP socket, when ws would write at once itself (open, its sender
   * holding nothing back), so frames never interleave; returns false, writing nothing,
   * otherwise (send them with ws then). One write, allocating nothing of its own; while the
   * socket is busy, Node's stream gathers what follows and writes it together (one writev).
   */
  writeRaw(frames: Buffer): boolean {
    const internals = this as unknown as WsInternals;
    const sender = internals._sender;
    const socket = internals._socket;
    if (internals._readyState !== WebSocket.OPEN || socket === null || sender === null || sender._state !== SENDER_IDLE || sender._queue.length > 0) return false;
    socket.write(frames);
    return true;
  }

  /** Routes ws's events to `events` (once set); others go to listeners as usual. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    const events = this.events;
    if (events === undefined) return super.emit(event, ...args);
    switch (event) {
      case 'message':
        events.onMessage(args[0] as RawData, args[1] as boolean);
        return true;
      case 'ping':
        if (this.readyState === WebSocket.OPEN) this.pong(args[0] as Buffer);
        return true;
      case 'pong':
        events.onPong(args[0] as Buffer);
        return true;
      case 'close':
        events.onClose(args[0] as number);
        return true;
      case 'error':
        events.onError(args[0] as Error);
        return true;
      default:
        return super.emit(event, ...args);
    }
  }
}
