import { GatewayClient } from '@rebal/gateway-client';
import { waitFor } from '@rebal/redis-testing';
import WebSocket from 'ws';

/** Options of {@link EventWatcher.start}. */
export interface EventWatcherOptions {
  /** The gateway URL (`stack.gatewayUrl`). */
  url: string;
  /** A token that grants `channel`. */
  token: string;
  /** The channel to watch. */
  channel: string;
}

/**
 * A well-behaved client (the SDK's `GatewayClient`, reconnection off so that any drop shows)
 * subscribed to one channel, recording the stream id of every event it gets.
 */
export class EventWatcher {
  /** Stream ids received, in order. */
  readonly ids: string[] = [];
  /** Close codes of every disconnect (expected: none until {@link close}). */
  readonly disconnects: number[] = [];
  /** Error codes the gateway or the client reported (expected: none). */
  readonly errors: string[] = [];

  private constructor(private readonly client: GatewayClient) {
    client.on('message', (_channel, id) => this.ids.push(id));
    client.on('disconnect', (code) => this.disconnects.push(code));
    client.on('error', (code, message) => this.errors.push(`${code}: ${message}`));
  }

  /** Connects, authenticates and subscribes. */
  static async start(options: EventWatcherOptions): Promise<EventWatcher> {
    const client = new GatewayClient({ url: options.url, token: options.token, WebSocket: WebSocket as never, reconnect: false });
    const watcher = new EventWatcher(client);
    await client.connect();
    await client.subscribe(options.channel);
    return watcher;
  }

  /** Waits until it has received exactly `ids` (in this order); throws naming what is missing. */
  async expectExactly(ids: readonly string[], timeoutMs = 15_000): Promise<void> {
    await waitFor(() => this.ids.length >= ids.length || this.disconnects.length > 0, {
      timeoutMs,
      message: () => `the watcher to get ${ids.length} events (has ${this.ids.length}, disconnects ${this.disconnects.join(',')})`,
    });
    expect({ ids: this.ids, disconnects: this.disconnects, errors: this.errors }).toEqual({ ids: [...ids], disconnects: [], errors: [] });
  }

  /** Closes the client. */
  close(): Promise<void> {
    return this.client.close();
  }
}
