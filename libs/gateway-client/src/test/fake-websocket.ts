// An in-memory WebSocket for unit tests of the client's state machine: the test plays the
// server (open, receive frames, drop) and reads what the client sent.
import type { WebSocketConstructor, WebSocketLike } from '../websocket-like';

/** A client frame as the fake recorded it. */
export type SentFrame = Record<string, unknown> & { op: string; id?: number };

/** One fake socket; the test drives its server side. */
export class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { readonly data: unknown }) => void) | null = null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  /** Frames the client sent, parsed. */
  readonly sent: SentFrame[] = [];
  /** The close code the client closed with, if it did. */
  closedByClient: number | undefined;

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data) as SentFrame);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState >= 2) return;
    this.closedByClient = code;
    this.readyState = 2;
    void Promise.resolve().then(() => this.drop(code, reason));
  }

  /** Server side: the connection opens. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** Server side: sends a frame (an object is JSON-encoded; a string is sent as is). */
  receive(frame: object | string): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  /** Server side: the connection ends with `code`. */
  drop(code = 1006, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** The last frame the client sent with `op`. */
  last(op: string): SentFrame {
    const frame = [...this.sent].reverse().find((f) => f.op === op);
    if (frame === undefined) throw new Error(`no ${op} frame sent (sent: ${this.sent.map((f) => f.op).join(', ') || 'nothing'})`);
    return frame;
  }
}

/** A WebSocket constructor that records every socket it creates. */
export function fakeWebSocket(): { readonly WebSocket: WebSocketConstructor; readonly sockets: FakeWebSocket[]; readonly latest: () => FakeWebSocket } {
  const sockets: FakeWebSocket[] = [];
  class Recorded extends FakeWebSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
    }
  }
  return {
    WebSocket: Recorded,
    sockets,
    latest: () => {
      const socket = sockets[sockets.length - 1];
      if (socket === undefined) throw new Error('no socket created yet');
      return socket;
    },
  };
}

/** A `welcome` frame answering request `id`. */
export function welcome(id: unknown, overrides: { session?: string; resumed?: boolean; maxChannelsPerFrame?: number } = {}): object {
  return {
    type: 'welcome',
    id,
    protocol: 1,
    session: { id: overrides.session ?? 'sess-0001', resumed: overrides.resumed ?? false, channels: [] },
    subject: 'user-1',
    grants: ['*'],
    expiresAt: Date.now() + 3_600_000,
    heartbeatIntervalMs: 30_000,
    limits: { maxFrameBytes: 65536, maxSubscriptions: 100, maxChannelsPerFrame: overrides.maxChannelsPerFrame ?? 100, rateLimitPerSecond: 20, rateLimitBurst: 40 },
  };
}

/** An `event` frame. */
export function eventFrame(channel: string, id: string, data: unknown = {}): object {
  const stream = channel.split(':')[0];
  return {
    type: 'event',
    channel,
    stream,
    id,
    event: { specversion: '1.0', id: `ce-${channel}-${id}`, source: '/test', type: 'price_update', time: new Date(0).toISOString(), data },
  };
}
