import { backoffDelay, type BackoffOptions } from './backoff-delay';
import { GatewayClientError } from './gateway-client-error';
import type { RequestHandlers } from './pending-requests';
import type { SubscribedChannel, SubscribedFrame, SubscribeFrame, UnsubscribeFrame } from './protocol';
import { SubscriptionRegistry } from './subscription-registry';
import { startTimer, stopTimer, type TimerHandle } from './timers';

/** What {@link SubscriptionSync} needs from the connection. */
export interface SubscriptionLink {
  /** Sends a request on the current connection; fails it with `not_connected` when there is none. */
  send(frame: Omit<SubscribeFrame, 'id'> | Omit<UnsubscribeFrame, 'id'>, handlers: RequestHandlers): void;
  /** Whether the connection is authenticated, so subscriptions can be sent. */
  ready(): boolean;
  /** Channels one frame may list (from `welcome.limits`). */
  maxChannelsPerFrame(): number;
  /** Reports a failure. */
  error(error: GatewayClientError): void;
  /** Reports the outcome of subscribing one channel. */
  recovered(entry: SubscribedChannel): void;
  /** A channel's position changed (persist them). */
  positionsChanged(): void;
}

// Subscribe refusals that name one bad channel: drop it, retry the rest of the frame.
const CHANNEL_ERRORS: ReadonlySet<string> = new Set(['invalid_channel', 'unknown_channel', 'not_granted']);
// Transient failures: retry later on the same connection.
const RETRY_ERRORS: ReadonlySet<string> = new Set(['rate_limited', 'unavailable', 'internal_error', 'request_timeout']);
/** Codes meaning the connection is gone: the next connection resubscribes, nothing else to do. */
export const GONE_ERRORS: ReadonlySet<string> = new Set(['disconnected', 'not_connected', 'closed']);

/**
 * Keeps the server's subscriptions in line with the channels the application wants: batches
 * `subscribe` calls of one tick into one frame, resubscribes everything with `since` after
 * each (re)connection, retries transient refusals with backoff, and, since a `subscribe` is
 * all or nothing, drops a refused channel and retries the others.
 */
export class SubscriptionSync {
  private readonly registry: SubscriptionRegistry;
  private epoch = 0;
  private attempt = 0;
  private queued = false;
  private retryTimer: TimerHandle | undefined;

  constructor(
    private readonly link: SubscriptionLink,
    private readonly backoff: BackoffOptions,
    private readonly random: () => number,
  ) {
    this.registry = new SubscriptionRegistry(() => link.positionsChanged());
  }

  /** Takes the positions an earlier client kept (see `SubscriptionRegistry.restore`). */
  restore(positions: Readonly<Record<string, string>>): void {
    this.registry.restore(positions);
  }

  /** Every known position, by channel. */
  positions(): Record<string, string> {
    return this.registry.allPositions();
  }

  /** Wants `channel` (from `since` when given) and resolves with its `subscribed` entry. */
  subscribe(channel: string, since: string | undefined): Promise<SubscribedChannel> {
    const subscribed = this.registry.want(channel, since);
    if (!this.queued) {
      this.queued = true;
      void Promise.resolve().then(() => {
        this.queued = false;
        this.sync();
      });
    }
    return subscribed;
  }

  /** Forgets `channels` and unsubscribes those the server may hold. */
  async unsubscribe(channels: readonly string[]): Promise<void> {
    const onServer = channels.filter((channel) =>
      this.registry.drop(channel, new GatewayClientError('unsubscribed', `channel "${channel}" was unsubscribed`, { channel })),
    );
    if (onServer.length === 0 || !this.link.ready()) return;
    await Promise.all(
      this.chunks(onServer).map(
        (chunk) =>
          new Promise<void>((resolve, reject) =>
            this.link.send({ op: 'unsubscribe', channels: chunk }, {
              onReply: () => resolve(),
              onError: (error) => (GONE_ERRORS.has(error.code) ? resolve() : reject(error)),
            }),
          ),
      ),
    );
  }

  /** Channels revoked by a token refresh: forgotten, their pending subscribes rejected. */
  revoke(channels: readonly string[]): void {
    for (const channel of channels) this.registry.drop(channel, new GatewayClientError('unsubscribed', `channel "${channel}" was revoked`, { channel }));
  }

  /** Accepts event `id` on `channel` when it is above the channel's last id; false for a duplicate or an unwanted channel. */
  deliver(channel: string, id: string): boolean {
    return this.registry.advance(channel, id);
  }

  /** Sends `subscribe` for every wanted channel the connection lacks. Call after each `welcome`. */
  sync(): void {
    stopTimer(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.link.ready()) return;
    for (const chunk of this.chunks(this.registry.pending())) this.send(chunk);
  }

  /** The connection ended: nothing is subscribed on the server anymore (wants and positions stay). */
  connectionLost(): void {
    this.epoch++;
    stopTimer(this.retryTimer);
    this.retryTimer = undefined;
    this.registry.resetConnection();
  }

  /** The client closed: every pending subscribe rejects with `error`. */
  close(error: GatewayClientError): void {
    this.connectionLost();
    this.registry.rejectAll(error);
  }

  /** Every wanted channel. */
  channels(): string[] {
    return this.registry.channels();
  }

  /** The last stream id delivered (or given as `since`) on `channel`. */
  lastId(channel: string): string | undefined {
    return this.registry.lastId(channel);
  }

  private send(channels: string[]): void {
    const epoch = this.epoch;
    const since = this.registry.sinceFor(channels);
    this.registry.markInFlight(channels);
    this.link.send({ op: 'subscribe', channels, ...(since === undefined ? {} : { since }) }, {
      onReply: (frame) => {
        this.registry.clearInFlight(channels);
        if (frame.type === 'subscribed' && epoch === this.epoch) this.confirm(channels, frame);
      },
      onError: (error) => {
        this.registry.clearInFlight(channels);
        if (epoch === this.epoch && !GONE_ERRORS.has(error.code)) this.refused(channels, error);
      },
    });
  }

  private confirm(channels: readonly string[], frame: SubscribedFrame): void {
    this.attempt = 0;
    frame.channels.forEach((entry, index) => {
      const requested = channels[index] ?? entry.channel;
      if (this.registry.confirm(requested, entry)) {
        this.link.recovered(entry);
        return;
      }
      // Unsubscribed while the subscribe was in flight: undo it on the server.
      this.link.send({ op: 'unsubscribe', channels: [entry.channel] }, { onReply: () => undefined, onError: () => undefined });
    });
  }

  private refused(channels: readonly string[], error: GatewayClientError): void {
    this.link.error(error);
    if (CHANNEL_ERRORS.has(error.code) && error.channel !== undefined && channels.includes(error.channel)) {
      this.registry.drop(error.channel, error);
      this.sync();
    } else if (RETRY_ERRORS.has(error.code)) {
      const delay = error.retryAfterMs ?? backoffDelay(this.attempt++, this.backoff, this.random);
      this.retryTimer ??= startTimer(() => this.sync(), delay);
    } else {
      for (const channel of channels) this.registry.drop(channel, error);
    }
  }

  private chunks(channels: readonly string[]): string[][] {
    const size = Math.max(1, this.link.maxChannelsPerFrame());
    const chunks: string[][] = [];
    for (let i = 0; i < channels.length; i += size) chunks.push(channels.slice(i, i + size));
    return chunks;
  }
}
