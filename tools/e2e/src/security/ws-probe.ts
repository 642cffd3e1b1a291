import { waitFor } from '@rebal/redis-testing';
import WebSocket from 'ws';

/** A frame the gateway sent: parsed JSON with a `type`. */
export type ProbeFrame = Readonly<Record<string, unknown>> & { readonly type: string };

/** How the connection ended. */
export interface ProbeClose {
  /** The close code the client saw (1006 when no close frame came). */
  readonly code: number;
  /** The close reason text. */
  readonly reason: string;
  /** ms between the open and the close. */
  readonly afterMs: number;
}

/** Options of {@link WsProbe.open}. */
export interface WsProbeOptions {
  /** How long the upgrade may take (default 5 s). */
  openTimeoutMs?: number;
}

/**
 * A bare WebSocket client for protocol checks: it sends exactly the frames it is told to
 * (no automatic auth, reconnect or resubscribe, unlike `GatewayClient`) and records every
 * frame the gateway sends, in order, and how the connection closed.
 */
export class WsProbe {
  /** Every frame received, in order. */
  readonly frames: ProbeFrame[] = [];
  /** Resolves once the connection has closed. */
  readonly closed: Promise<ProbeClose>;
  private closeValue: ProbeClose | undefined;

  private constructor(
    private readonly socket: WebSocket,
    private readonly openedAt: number,
  ) {
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const text = data.toString('utf8');
      try {
        this.frames.push(isBinary ? { type: '(binary)', text } : (JSON.parse(text) as ProbeFrame));
      } catch {
        // The protocol promises JSON text frames: keep anything else, for the checks to see.
        this.frames.push({ type: '(not json)', text });
      }
    });
    this.closed = new Promise((resolve) => {
      socket.once('close', (code: number, reason: Buffer) => {
        this.closeValue = { code, reason: reason.toString('utf8'), afterMs: Date.now() - this.openedAt };
        resolve(this.closeValue);
      });
    });
    socket.on('error', () => undefined);
  }

  /** Connects to `url` (e.g. `ws://127.0.0.1:<port>/ws?token=...`); resolves once open, rejects on an upgrade failure. */
  static open(url: string, options: WsProbeOptions = {}): Promise<WsProbe> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { handshakeTimeout: options.openTimeoutMs ?? 5_000 });
      socket.once('open', () => resolve(new WsProbe(socket, Date.now())));
      socket.once('unexpected-response', (_request, response) => {
        socket.terminate();
        reject(new Error(`upgrade refused with HTTP ${response.statusCode}`));
      });
      socket.once('error', reject);
    });
  }

  /** How it closed; undefined while open. */
  get closedWith(): ProbeClose | undefined {
    return this.closeValue;
  }

  /** Sends one frame: an object as JSON, a string as is. */
  send(frame: object | string): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /**
   * The first frame that matches `match`, skipping the first `options.from` frames (default
   * 0); waits for it up to `options.timeoutMs` (default 5 s).
   */
  next(match: (frame: ProbeFrame) => boolean, options: { from?: number; timeoutMs?: number } = {}): Promise<ProbeFrame> {
    const from = options.from ?? 0;
    return waitFor(() => this.frames.slice(from).find(match), {
      timeoutMs: options.timeoutMs ?? 5_000,
      intervalMs: 10,
      message: () => `a matching frame from the gateway (got ${JSON.stringify(this.frames.slice(from)).slice(0, 600)}; close ${JSON.stringify(this.closeValue)})`,
    });
  }

  /** The reply carrying request id `id` (any frame but an `event`, `error` included); waits up to `timeoutMs` (default 5 s). */
  reply(id: string | number, timeoutMs?: number): Promise<ProbeFrame> {
    return this.next((frame) => frame['id'] === id && frame.type !== 'event', { timeoutMs });
  }

  /** Sends `auth` with `token` (and optionally a session) and waits for its reply. */
  async auth(token: string, id: string | number = 'auth', session?: string): Promise<ProbeFrame> {
    this.send({ op: 'auth', id, token, ...(session === undefined ? {} : { session }) });
    return this.reply(id);
  }

  /** Sends `subscribe` and waits for its reply (`subscribed` or `error`). */
  async subscribe(id: string | number, channels: readonly string[], since?: Record<string, string>): Promise<ProbeFrame> {
    this.send({ op: 'subscribe', id, channels, ...(since === undefined ? {} : { since }) });
    return this.reply(id);
  }

  /** The `event` frames received so far. */
  events(): ProbeFrame[] {
    return this.frames.filter((frame) => frame.type === 'event');
  }

  /** Closes with 1000 (if still open) and resolves once closed. */
  async dispose(): Promise<void> {
    if (this.closeValue === undefined) this.socket.close(1000);
    await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    if (this.closeValue === undefined) this.socket.terminate();
  }
}
