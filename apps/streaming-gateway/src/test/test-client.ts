// A WebSocket test client (the `ws` package) that records what the gateway sends.
import WebSocket from 'ws';

/** A server frame as parsed JSON. */
export type Frame = Record<string, unknown> & { type: string };

/** How a connection ended. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

interface Waiter {
  readonly predicate: (frame: Frame) => boolean;
  readonly resolve: (frame: Frame) => void;
}

/**
 * Connects to a gateway and records every frame: event ids per channel (in arrival order)
 * and, unless `recordEvents` is false, the event frames themselves; other frames always.
 * `next()` waits for a frame without polling.
 */
export class TestClient {
  /** The socket. */
  readonly ws: WebSocket;
  /** Non-event frames, in order. */
  readonly control: Frame[] = [];
  /** Event frames, in order (only when recording them). */
  readonly events: Frame[] = [];
  /** Event ids per channel, in arrival order. */
  readonly ids = new Map<string, string[]>();
  /** Arrival time (ms) of each event, by `<channel> <id>`, when `timeEvents` is on. */
  readonly arrivals = new Map<string, number>();
  /** Resolves when the socket has closed. */
  readonly closed: Promise<CloseInfo>;
  private readonly waiters = new Set<Waiter>();
  private readonly recordEvents: boolean;
  private readonly timeEvents: boolean;

  private constructor(ws: WebSocket, options: { recordEvents?: boolean; timeEvents?: boolean }) {
    this.ws = ws;
    this.recordEvents = options.recordEvents ?? true;
    this.timeEvents = options.timeEvents ?? false;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
  }

  /** Opens a connection to `ws://127.0.0.1:<port><path>`. */
  static async connect(port: number, options: { path?: string; recordEvents?: boolean; timeEvents?: boolean } = {}): Promise<TestClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/ws'}`);
    const client = new TestClient(ws, options);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Sends a JSON frame. */
  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Waits for the first frame (already received or future) matching `predicate`. */
  next(predicate: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const seen = this.control.find(predicate) ?? this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; last control frames: ${JSON.stringify(this.control.slice(-3))}`));
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Waits for the reply (or error) carrying request id `id`. */
  reply(id: string | number, timeoutMs?: number): Promise<Frame> {
    return this.next((frame) => frame.type !== 'event' && frame['id'] === id, timeoutMs);
  }

  /** Sends `auth` and resolves with `welcome` (or the error). */
  async auth(token: string, session?: string): Promise<Frame> {
    const id = `auth-${Math.random()}`;
    this.send({ op: 'auth', id, token, ...(session === undefined ? {} : { session }) });
    return this.reply(id);
  }

  /** Sends `subscribe` and resolves with `subscribed` (or the error). */
  async subscribe(channels: string[], since?: Record<string, string>): Promise<Frame> {
    const id = `sub-${Math.random()}`;
    this.send({ op: 'subscribe', id, channels, ...(since === undefined ? {} : { since }) });
    return this.reply(id);
  }

  /** Event ids received on `channel`. */
  idsOf(channel: string): string[] {
    return this.ids.get(channel) ?? [];
  }

  /** The last event id received on `channel`. */
  lastId(channel: string): string | undefined {
    const ids = this.ids.get(channel);
    return ids?.[ids.length - 1];
  }

  /** Closes (normal closure) and waits for the close. */
  async close(): Promise<CloseInfo> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    return this.closed;
  }

  /** Destroys the socket at once. */
  terminate(): void {
    this.ws.terminate();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    const frame = JSON.parse(data.toString('utf8')) as Frame;
    if (isBinary) frame['binary'] = true;
    if (frame.type === 'event') {
      const channel = String(frame['channel']);
      const id = String(frame['id']);
      let list = this.ids.get(channel);
      if (!list) {
        list = [];
        this.ids.set(channel, list);
      }
      list.push(id);
      if (this.timeEvents) this.arrivals.set(`${channel} ${id}`, Date.now());
      if (this.recordEvents) this.events.push(frame);
    } else {
      this.control.push(frame);
    }
    for (const waiter of this.waiters) {
      if (!waiter.predicate(frame)) continue;
      this.waiters.delete(waiter);
      waiter.resolve(frame);
    }
  }
}
