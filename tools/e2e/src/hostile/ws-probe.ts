import type { Socket } from 'node:net';
import WebSocket from 'ws';

/** A server frame as received (parsed JSON object, or the raw text when it was not one). */
export type ServerFrameJson = Record<string, unknown>;

/** How a probe's connection ended. */
export interface ProbeClose {
  /** The close code the client saw (1006: no close frame). */
  readonly code: number;
  /** The close reason text. */
  readonly reason: string;
  /** When it closed (ms since the epoch). */
  readonly atMs: number;
}

/** What the server answered to one frame, between two sentinels. */
export interface Exchange {
  /** The non-event frames that arrived before the sentinel's reply, in order. */
  readonly replies: ServerFrameJson[];
  /** Set when the connection closed before the sentinel was answered. */
  readonly close?: ProbeClose;
}

let sentinels = 0;

/**
 * A raw WebSocket client that records every frame the gateway sends (events are counted, not
 * kept). It can send anything, including binary frames and bytes that are not UTF-8, and can
 * stop reading its socket like a client that hangs. {@link exchange} isolates the answer to
 * one frame with a sentinel request that goes through the gateway's per-connection queue.
 */
export class WsProbe {
  /** Every non-event frame, in arrival order. */
  readonly frames: ServerFrameJson[] = [];
  /** Event frame ids per channel, in arrival order. */
  readonly events = new Map<string, string[]>();
  /** When the connection opened (ms since the epoch). */
  readonly openedAtMs = Date.now();
  /** Resolves when the connection closes. */
  readonly closed: Promise<ProbeClose>;
  private closeValue: ProbeClose | undefined;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      let frame: ServerFrameJson;
      try {
        frame = JSON.parse(text) as ServerFrameJson;
      } catch {
        frame = { type: '<not json>', text: text.slice(0, 200) };
      }
      if (frame['type'] === 'event') {
        const channel = String(frame['channel']);
        const ids = this.events.get(channel) ?? [];
        ids.push(String(frame['id']));
        this.events.set(channel, ids);
      } else this.frames.push(frame);
      for (const listener of [...this.listeners]) listener();
    });
    ws.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        this.closeValue = { code, reason: reason.toString('utf8'), atMs: Date.now() };
        resolve(this.closeValue);
        for (const listener of [...this.listeners]) listener();
      });
    });
  }

  /** Opens a connection to `url` (resolves once open; rejects after `timeoutMs`, default 10 s). */
  static async open(url: string, timeoutMs = 10_000): Promise<WsProbe> {
    const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs, maxPayload: 64 * 1024 * 1024 });
    const probe = new WsProbe(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('close', (code: number) => reject(new Error(`closed with ${code} before opening`)));
    });
    return probe;
  }

  /** The close, once the connection has closed. */
  get close(): ProbeClose | undefined {
    return this.closeValue;
  }

  /** The raw TCP socket (to pause reading, like a client that hangs). */
  get socket(): Socket {
    return (this.ws as unknown as { _socket: Socket })._socket;
  }

  /** Sends a text frame of `value` as JSON (strings are sent as they are). */
  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** Sends raw data as a text frame (`binary` false, even for bytes that are not UTF-8) or a binary frame. */
  sendRaw(data: string | Uint8Array, binary: boolean): void {
    this.ws.send(data, { binary });
  }

  /** Waits for the reply (any frame but `event`) whose `id` is `id`. */
  async reply(id: string | number, timeoutMs = 10_000): Promise<ServerFrameJson> {
    let found: ServerFrameJson | undefined;
    await this.until(
      () => (found = this.frames.find((frame) => frame['id'] === id)) !== undefined || this.closeValue !== undefined,
      timeoutMs,
      () => `a reply with id ${JSON.stringify(id)} (got ${JSON.stringify(this.frames.slice(-5))})`,
    );
    if (found === undefined) throw new Error(`the connection closed (${this.closeValue?.code}) before the reply to ${JSON.stringify(id)}`);
    return found;
  }

  /** Authenticates with `token` and resolves with the `welcome` frame. */
  async auth(token: string): Promise<ServerFrameJson> {
    const id = `auth-${++sentinels}`;
    this.send({ op: 'auth', id, token });
    const welcome = await this.reply(id);
    if (welcome['type'] !== 'welcome') throw new Error(`auth answered ${JSON.stringify(welcome)}`);
    return welcome;
  }

  /** Subscribes and resolves with the `subscribed` frame. */
  async subscribe(channels: string[], since?: Record<string, string>): Promise<ServerFrameJson> {
    const id = `sub-${++sentinels}`;
    this.send({ op: 'subscribe', id, channels, ...(since === undefined ? {} : { since }) });
    const answer = await this.reply(id);
    if (answer['type'] !== 'subscribed') throw new Error(`subscribe answered ${JSON.stringify(answer)}`);
    return answer;
  }

  /**
   * Sends `frame`, then a sentinel that takes the gateway's operation queue (`unsubscribe`
   * when authenticated, answered with `unsubscribed`; `subscribe` before, answered with
   * `not_authenticated`), and resolves with what came in between, or with the close.
   */
  async exchange(frame: { data: string | Uint8Array; binary: boolean }, authenticated: boolean, timeoutMs = 10_000): Promise<Exchange> {
    const start = this.frames.length;
    const id = `sentinel-${++sentinels}`;
    this.sendRaw(frame.data, frame.binary);
    this.send({ op: authenticated ? 'unsubscribe' : 'subscribe', id, channels: ['risk_events:sentinel'] });
    let end = -1;
    const sentinel = () => {
      for (let index = this.frames.length - 1; index >= start; index -= 1) if (this.frames[index]?.['id'] === id) return index;
      return -1;
    };
    await this.until(
      () => (end = sentinel()) >= 0 || this.closeValue !== undefined,
      timeoutMs,
      () => `the sentinel reply after ${describeFrame(frame)} (got ${JSON.stringify(this.frames.slice(start))})`,
    );
    if (end < 0) return { replies: this.frames.slice(start), close: this.closeValue };
    return { replies: this.frames.slice(start, end) };
  }

  /** Resolves once `done()` holds, checked now and after every frame and the close; rejects after `timeoutMs`. */
  private until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`));
      }, timeoutMs);
      this.listeners.add(check);
    });
  }

  /** Closes the connection (1000) without waiting. */
  end(): void {
    if (this.closeValue === undefined) this.ws.close(1000);
  }

  /** Destroys the connection. */
  terminate(): void {
    this.ws.terminate();
  }
}

/** A short printable description of a frame for failure messages. */
export function describeFrame(frame: { data: string | Uint8Array; binary: boolean }): string {
  const text = typeof frame.data === 'string' ? frame.data : `bytes[${frame.data.byteLength}] ${Buffer.from(frame.data.subarray(0, 60)).toString('hex')}`;
  return `${frame.binary ? 'binary' : 'text'} ${JSON.stringify(text.slice(0, 160))}${text.length > 160 ? `… (${text.length} chars)` : ''}`;
}
