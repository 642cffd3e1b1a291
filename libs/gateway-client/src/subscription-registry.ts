import { GatewayClientError } from './gateway-client-error';
import { compareStreamIds, type SubscribedChannel } from './protocol';

interface Waiter {
  readonly resolve: (entry: SubscribedChannel) => void;
  readonly reject: (error: GatewayClientError) => void;
}

/**
 * The client's subscription bookkeeping, independent of any socket: the channels the
 * application wants (surviving reconnects), which of them the current connection has
 * confirmed or has a `subscribe` in flight for, the promises waiting for each, and the
 * last stream id seen per channel (the `since` of the next resubscribe, and the dedupe
 * bound: an id not above it is never delivered again). Positions may be restored from an
 * earlier client (a reloaded page): a channel wanted again resumes from its restored one.
 */
export class SubscriptionRegistry {
  private readonly wanted = new Map<string, Waiter[]>();
  private readonly positions = new Map<string, string>();
  private readonly active = new Set<string>();
  private readonly inFlight = new Set<string>();

  /** @param positionsChanged called after every change of a position (to persist them) */
  constructor(private readonly positionsChanged: () => void = () => undefined) {}

  /** Takes positions kept by an earlier client; a position already known here wins. */
  restore(positions: Readonly<Record<string, string>>): void {
    for (const [channel, id] of Object.entries(positions)) if (!this.positions.has(channel)) this.positions.set(channel, id);
  }

  /** Every known position, by channel (wanted channels and restored ones). */
  allPositions(): Record<string, string> {
    return Object.fromEntries(this.positions);
  }

  /**
   * Records that `channel` is wanted (with `since` as its position when given) and returns a
   * promise of its `subscribed` entry. An already confirmed channel resolves at once, as the
   * server would answer (`recovered: true, replayed: 0`), and keeps its position.
   */
  want(channel: string, since?: string): Promise<SubscribedChannel> {
    // The server ignores `since` for a channel it already serves, so the position stays too.
    if (this.active.has(channel)) return Promise.resolve({ channel, recovered: true, replayed: 0 });
    if (since !== undefined && this.positions.get(channel) !== since) {
      this.positions.set(channel, since);
      this.positionsChanged();
    }
    return new Promise((resolve, reject) => {
      const waiters = this.wanted.get(channel) ?? [];
      waiters.push({ resolve, reject });
      this.wanted.set(channel, waiters);
    });
  }

  /** Whether the application wants `channel`. */
  has(channel: string): boolean {
    return this.wanted.has(channel) || this.active.has(channel);
  }

  /** Every wanted channel. */
  channels(): string[] {
    return [...new Set([...this.wanted.keys(), ...this.active])];
  }

  /** Wanted channels the current connection has neither confirmed nor a `subscribe` in flight for. */
  pending(): string[] {
    return [...this.wanted.keys()].filter((channel) => !this.active.has(channel) && !this.inFlight.has(channel));
  }

  /** Marks a `subscribe` for `channels` as sent on the current connection. */
  markInFlight(channels: readonly string[]): void {
    for (const channel of channels) this.inFlight.add(channel);
  }

  /** Clears the in-flight mark (the `subscribe` was answered or failed). */
  clearInFlight(channels: readonly string[]): void {
    for (const channel of channels) this.inFlight.delete(channel);
  }

  /** The `since` map for a `subscribe` of `channels`: the positions known for them, or undefined when none. */
  sinceFor(channels: readonly string[]): Record<string, string> | undefined {
    const since: Record<string, string> = {};
    let any = false;
    for (const channel of channels) {
      const position = this.positions.get(channel);
      if (position !== undefined) {
        since[channel] = position;
        any = true;
      }
    }
    return any ? since : undefined;
  }

  /**
   * Records the server's confirmation of `requested` and resolves its waiters; returns
   * false when the channel is no longer wanted (unsubscribed while the `subscribe` was in
   * flight), so the caller can unsubscribe it on the server. On `recovered: false` the
   * channel restarts at the live edge, whose ids may be below the position sent (a stream
   * reset): the position is forgotten, so the dedupe bound restarts there too.
   */
  confirm(requested: string, entry: SubscribedChannel): boolean {
    const waiters = this.wanted.get(requested);
    if (waiters === undefined) return false;
    if (!entry.recovered && this.positions.delete(requested)) this.positionsChanged();
    this.active.add(requested);
    this.wanted.set(requested, []);
    for (const waiter of waiters) waiter.resolve(entry);
    return true;
  }

  /** Forgets `channel` entirely (position included) and rejects its waiters; returns whether the server may have it subscribed. */
  drop(channel: string, error: GatewayClientError): boolean {
    const onServer = this.active.has(channel) || this.inFlight.has(channel);
    const waiters = this.wanted.get(channel) ?? [];
    this.wanted.delete(channel);
    this.active.delete(channel);
    this.inFlight.delete(channel);
    if (this.positions.delete(channel)) this.positionsChanged();
    for (const waiter of waiters) waiter.reject(error);
    return onServer;
  }

  /** The connection is gone: nothing is confirmed or in flight anymore (wants and positions stay). */
  resetConnection(): void {
    this.active.clear();
    this.inFlight.clear();
  }

  /** Rejects every waiting promise (the client closed); wants and positions stay readable. */
  rejectAll(error: GatewayClientError): void {
    for (const [channel, waiters] of this.wanted) {
      this.wanted.set(channel, []);
      for (const waiter of waiters) waiter.reject(error);
    }
  }

  /**
   * Accepts stream id `id` on `channel` when it is above the channel's last id (and records
   * it as the new position); returns false for a duplicate or an out-of-order id, or an
   * unwanted channel.
   */
  advance(channel: string, id: string): boolean {
    if (!this.has(channel)) return false;
    const last = this.positions.get(channel);
    if (last !== undefined && compareStreamIds(id, last) <= 0) return false;
    this.positions.set(channel, id);
    this.positionsChanged();
    return true;
  }

  /** The last stream id seen (or given as `since`) on `channel`. */
  lastId(channel: string): string | undefined {
    return this.positions.get(channel);
  }
}
