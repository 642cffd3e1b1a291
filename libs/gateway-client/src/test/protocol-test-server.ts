// A tiny in-process server that speaks enough of the gateway protocol (docs/protocol.md) to
// test the client over real sockets: auth → welcome (sessions), subscribe → subscribed with
// replay after `since`, live events, unsubscribe, ping. It keeps every channel's history in
// memory. Not the gateway: the real-gateway end-to-end test lives with the gateway.
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { compareStreamIds } from '../protocol';

type Frame = Record<string, unknown>;

interface Connection {
  readonly index: number;
  readonly ws: WebSocket;
  readonly channels: Set<string>;
}

interface LoggedEvent {
  readonly id: string;
  readonly frame: Frame;
}

/** Options of {@link ProtocolTestServer.start}. */
export interface ProtocolTestServerOptions {
  /** The only token accepted (anything else: `auth_failed`, close 4001). */
  readonly token: string;
  /** Replay this many already-seen events before the missed ones, like a lagging session position (default 0). */
  readonly replayOverlap?: number;
}

/** The fake gateway. */
export class ProtocolTestServer {
  /** Every client frame received, with the index of its connection (0, 1, ...). */
  readonly received: { connection: number; frame: Frame }[] = [];
  private readonly connections = new Set<Connection>();
  private readonly history = new Map<string, LoggedEvent[]>();
  private readonly sessions = new Set<string>();
  private connectionCount = 0;
  private sequence = 0;

  private constructor(
    private readonly wss: WebSocketServer,
    private readonly options: ProtocolTestServerOptions,
  ) {
    wss.on('connection', (ws) => this.accept(ws));
  }

  /** Listens on a free port of 127.0.0.1. */
  static async start(options: ProtocolTestServerOptions): Promise<ProtocolTestServer> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/ws' });
    await new Promise<void>((resolve, reject) => {
      wss.once('listening', resolve);
      wss.once('error', reject);
    });
    return new ProtocolTestServer(wss, options);
  }

  /** The client URL. */
  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/ws`;
  }

  /** Connections opened so far. */
  get connectionsOpened(): number {
    return this.connectionCount;
  }

  /** Client frames with `op`, in arrival order. */
  framesWith(op: string): { connection: number; frame: Frame }[] {
    return this.received.filter((r) => r.frame['op'] === op);
  }

  /** Appends an event to `channel` and sends it to the open connections subscribed to it; returns its stream id. */
  publish(channel: string, data: unknown): string {
    const id = `1712000000000-${++this.sequence}`;
    const frame: Frame = {
      type: 'event',
      channel,
      stream: channel.split(':')[0],
      id,
      event: { specversion: '1.0', id: `ce-${this.sequence}`, source: '/test', type: 'price_update', time: new Date().toISOString(), data },
    };
    const log = this.history.get(channel) ?? [];
    log.push({ id, frame });
    this.history.set(channel, log);
    for (const connection of this.connections) {
      if (connection.channels.has(channel) && connection.ws.readyState === connection.ws.OPEN) connection.ws.send(JSON.stringify(frame));
    }
    return id;
  }

  /** Ends every connection: with a close frame of `code`, or abruptly (the client sees 1006) when no code is given. */
  dropAll(code?: number): void {
    for (const connection of this.connections) {
      if (code === undefined) connection.ws.terminate();
      else connection.ws.close(code, 'test');
    }
    this.connections.clear();
  }

  /** Terminates every connection and stops listening. */
  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    const connection: Connection = { index: this.connectionCount++, ws, channels: new Set() };
    this.connections.add(connection);
    ws.on('close', () => this.connections.delete(connection));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.received.push({ connection: connection.index, frame });
      this.handle(connection, frame);
    });
  }

  private handle(connection: Connection, frame: Frame): void {
    const reply = (body: Frame): void => connection.ws.send(JSON.stringify({ ...body, id: frame['id'] }));
    const channels = (frame['channels'] ?? []) as string[];
    switch (frame['op']) {
      case 'auth': {
        if (frame['token'] !== this.options.token) {
          reply({ type: 'error', code: 'auth_failed', message: 'the token signature is invalid' });
          connection.ws.close(4001, 'authentication failed');
          return;
        }
        const asked = frame['session'];
        const resumed = typeof asked === 'string' && this.sessions.has(asked);
        const session = resumed ? asked : `sess-${this.sessions.size + 1}`;
        this.sessions.add(session);
        reply({
          type: 'welcome',
          protocol: 1,
          session: { id: session, resumed, channels: [] },
          subject: 'tester',
          grants: ['*'],
          expiresAt: Date.now() + 3_600_000,
          heartbeatIntervalMs: 30_000,
          limits: { maxFrameBytes: 65536, maxSubscriptions: 100, maxChannelsPerFrame: 100, rateLimitPerSecond: 20, rateLimitBurst: 40 },
        });
        return;
      }
      case 'subscribe': {
        const since = (frame['since'] ?? {}) as Record<string, string>;
        const replays: Frame[] = [];
        const entries = channels.map((channel) => {
          connection.channels.add(channel);
          const position = since[channel];
          if (position === undefined) return { channel, recovered: false, replayed: 0, reason: 'no_position' };
          const log = this.history.get(channel) ?? [];
          const firstMissed = log.findIndex((e) => compareStreamIds(e.id, position) > 0);
          const from = firstMissed === -1 ? log.length : firstMissed;
          const missed = log.slice(Math.max(0, from - (this.options.replayOverlap ?? 0)));
          replays.push(...missed.map((e) => e.frame));
          return { channel, recovered: true, replayed: missed.length, since: position };
        });
        reply({ type: 'subscribed', channels: entries });
        for (const replay of replays) connection.ws.send(JSON.stringify(replay));
        return;
      }
      case 'unsubscribe':
        for (const channel of channels) connection.channels.delete(channel);
        reply({ type: 'unsubscribed', channels, reason: 'requested' });
        return;
      case 'ping':
        reply({ type: 'pong', time: Date.now() });
        return;
      default:
        reply({ type: 'error', code: 'unknown_op', message: 'unknown op' });
    }
  }
}
