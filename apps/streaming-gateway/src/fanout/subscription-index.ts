import type { CloudEvent } from '@rebal/redis-client';
import { channelNamesForEvent, type Channel } from '../channels';
import { encodeEvent, frameText } from '../protocol';
import type { Subscription } from './subscription';

/** What one dispatched event cost: frames handed to subscriptions and their bytes. */
export interface DispatchResult {
  /** Subscriptions the event was offered to (sent, held or dropped as a duplicate). */
  readonly deliveries: number;
  /** Sum of the frame sizes over those deliveries (WebSocket header included). */
  readonly bytes: number;
}

const NOTHING: DispatchResult = { deliveries: 0, bytes: 0 };

/** The subscribers of one channel, and the channel object they all share. */
interface ChannelEntry {
  readonly channel: Channel;
  readonly subscribers: Set<Subscription>;
}

/**
 * Every subscription of this replica, by channel name. An event is looked up under its (at
 * most two) channel names, serialized once, encoded and WebSocket-framed once per channel,
 * and the same bytes are offered to every subscriber of that channel.
 */
export class SubscriptionIndex {
  private readonly byChannel = new Map<string, ChannelEntry>();

  /**
   * The channel object subscriptions of `channel` share while any exists (one per channel
   * name, not one per connection). Register the subscription with {@link add} right after.
   */
  canonical(channel: Channel): Channel {
    return this.byChannel.get(channel.name)?.channel ?? channel;
  }

  /** Registers a subscription; from now on it is offered every dispatched event of its channel. */
  add(subscription: Subscription): void {
    const name = subscription.channel.name;
    let entry = this.byChannel.get(name);
    if (!entry) {
      entry = { channel: subscription.channel, subscribers: new Set() };
      this.byChannel.set(name, entry);
    }
    entry.subscribers.add(subscription);
  }

  /** Unregisters a subscription (a no-op when it is not registered). */
  remove(subscription: Subscription): void {
    const name = subscription.channel.name;
    const entry = this.byChannel.get(name);
    if (!entry) return;
    entry.subscribers.delete(subscription);
    if (entry.subscribers.size === 0) this.byChannel.delete(name);
  }

  /**
   * Ends every subscription of `stream` (its whole-stream and subject channels): the stream no
   * longer continues from what they were sent, so they cannot go on without a gap (see
   * `StreamFanout`). Each one's connection hears of it through `SubscriptionSink.interrupted`.
   */
  interrupt(stream: string): void {
    const names = [...this.byChannel.keys()].filter((name) => name === stream || name.startsWith(`${stream}:`));
    for (const name of names) for (const subscription of [...(this.byChannel.get(name)?.subscribers ?? [])]) subscription.interrupt();
  }

  /** Subscriptions registered on `channel`. */
  count(channel: string): number {
    return this.byChannel.get(channel)?.subscribers.size ?? 0;
  }

  /**
   * Offers one live event, read from `stream` (logical name) at entry `id`, to every subscriber
   * of its channels. Per channel with subscribers: one `event` frame, framed once; per
   * subscriber nothing is allocated.
   */
  dispatch(stream: string, id: string, event: CloudEvent): DispatchResult {
    const names = channelNamesForEvent(stream, event.subject);
    let eventJson: string | undefined;
    let deliveries = 0;
    let bytes = 0;
    for (const name of names) {
      const subscribers = this.byChannel.get(name)?.subscribers;
      if (!subscribers || subscribers.size === 0) continue;
      eventJson ??= JSON.stringify(event);
      const frame = frameText(encodeEvent({ channel: name, stream, id, eventJson }));
      const offered = subscribers.size;
      // A send may close a connection and remove its subscriptions: deleting from a Set while
      // iterating it is safe (removed members not yet visited are skipped).
      for (const subscription of subscribers) subscription.offer(id, frame);
      deliveries += offered;
      bytes += frame.frame.length * offered;
    }
    return deliveries === 0 ? NOTHING : { deliveries, bytes };
  }
}
