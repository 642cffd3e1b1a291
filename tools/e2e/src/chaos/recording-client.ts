import { compareStreamIds, GatewayClient, type ServerFrame } from '@rebal/gateway-client';
import WebSocket from 'ws';
import type { ChannelRecord } from './checks/delivery-check';

/** One delivery, with the event's own time for latency. */
export interface Delivery {
  readonly id: string;
  /** When the client delivered it, ms since the epoch. */
  readonly atMs: number;
  /** The CloudEvent `time`, ms since the epoch. */
  readonly eventTimeMs: number;
  readonly type: string;
  /** The CloudEvent subject. */
  readonly subject: string | undefined;
}

/** What a {@link RecordingClient} keeps per channel. */
interface ChannelLog {
  startAfter: string;
  delivered: Delivery[];
  notRecovered: Array<{ atIndex: number; reason: string; atMs: number }>;
  wireDuplicates: number;
  wireLast: string | undefined;
}

/** Options of {@link RecordingClient.start}. */
export interface RecordingClientOptions {
  /** Its name in reports. */
  name: string;
  /** The gateway URL (the balancer). */
  url: string;
  /** Fetches a token (called for each connection). */
  token: () => Promise<string>;
  /** Channels to subscribe to, each with the position to start after. */
  channels: Readonly<Record<string, string>>;
  /** Reconnect backoff (default 200 ms doubling to 2 s). */
  reconnect?: { baseMs: number; maxMs: number };
}

/**
 * A WebSocket client that records everything it is given: a `GatewayClient` (the SDK, with
 * its resume and de-duplication) whose socket is tapped, so event frames that reach the
 * wire twice are counted even though the SDK drops them.
 */
export class RecordingClient {
  /** Connections after the first (welcomes minus one). */
  reconnects = 0;
  /** Welcomes that resumed the session. */
  resumed = 0;
  private welcomes = 0;

  private constructor(
    /** Its name in reports. */
    readonly name: string,
    private readonly client: GatewayClient,
    private readonly logs: ReadonlyMap<string, ChannelLog>,
  ) {}

  /** Connects, subscribes every channel from its start position, and starts recording. */
  static async start(options: RecordingClientOptions): Promise<RecordingClient> {
    const logs = new Map<string, ChannelLog>(
      Object.entries(options.channels).map(([channel, startAfter]) => [channel, { startAfter, delivered: [], notRecovered: [], wireDuplicates: 0, wireLast: undefined }]),
    );
    const tap = (data: unknown) => {
      if (typeof data !== 'string' || !data.startsWith('{"type":"event"')) return;
      const frame = JSON.parse(data) as Extract<ServerFrame, { type: 'event' }>;
      const log = logs.get(frame.channel);
      if (log === undefined) return;
      if (log.wireLast !== undefined && compareStreamIds(frame.id, log.wireLast) <= 0) log.wireDuplicates += 1;
      else log.wireLast = frame.id;
    };
    const client = new GatewayClient({
      url: options.url,
      token: options.token,
      WebSocket: tappedWebSocket(tap),
      reconnect: { baseMs: options.reconnect?.baseMs ?? 200, maxMs: options.reconnect?.maxMs ?? 2_000, jitter: 'full' },
    });
    const recorder = new RecordingClient(options.name, client, logs);
    client.on('message', (channel, id, event) => {
      logs.get(channel)?.delivered.push({ id, atMs: Date.now(), eventTimeMs: Date.parse(event.time), type: event.type, subject: event.subject });
    });
    client.on('recovered', (channel, recovered, reason) => {
      const log = logs.get(channel);
      if (log !== undefined && !recovered) log.notRecovered.push({ atIndex: log.delivered.length, reason: reason ?? 'unknown', atMs: Date.now() });
    });
    client.on('welcome', (frame) => {
      recorder.welcomes += 1;
      if (recorder.welcomes > 1) recorder.reconnects += 1;
      if (frame.session.resumed) recorder.resumed += 1;
    });
    client.on('error', () => undefined);
    await client.connect();
    for (const [channel, startAfter] of Object.entries(options.channels)) await client.subscribe(channel, { since: startAfter });
    return recorder;
  }

  /** The last id delivered on a channel. */
  lastId(channel: string): string | undefined {
    return this.client.lastId(channel);
  }

  /** The connection state of the SDK. */
  get state(): string {
    return this.client.state;
  }

  /** The record of a channel, for the delivery check. */
  record(channel: string): ChannelRecord & { readonly delivered: readonly Delivery[] } {
    const log = this.logs.get(channel);
    if (log === undefined) throw new Error(`${this.name} has no channel ${channel}`);
    return log;
  }

  /** Closes the connection (no reconnect). */
  close(): Promise<void> {
    return this.client.close();
  }
}

/** The `ws` WebSocket, with every incoming text frame shown to `tap` before the SDK sees it. */
function tappedWebSocket(tap: (data: unknown) => void): new (url: string) => object {
  return class TappedWebSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      this.on('message', (data, isBinary) => {
        if (!isBinary) tap(data.toString());
      });
    }
  };
}
