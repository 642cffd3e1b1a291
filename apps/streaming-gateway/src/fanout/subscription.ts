import type { Channel } from '../channels';
import { compareStreamIds } from '@rebal/gateway-client';

/** Where a {@link Subscription} sends what it lets through: the client connection. */
export interface SubscriptionSink {
  /** Sends one encoded `event` frame of `subscription` to the client. */
  sendEvent(subscription: Subscription, id: string, frame: Buffer): void;
  /** The live events held by a catching-up subscription grew (or, negative, shrank) by `bytes`. */
  heldBytesChanged(bytes: number): void;
  /** The subscription's `position` moved (optional; the connection's session recorder uses it as a cheap change check). */
  positionMoved?(subscription: Subscription): void;
  /** The subscription was ended because it cannot go on without a gap (`Subscription.interrupt`): the client must resume. */
  interrupted(subscription: Subscription): void;
}

interface HeldEvent {
  readonly id: string;
  readonly frame: Buffer;
}

/**
 * One channel subscribed on one connection, and the switch from history to live delivery.
 *
 * It is registered in the fan-out index BEFORE the gateway reads the stream's end (E) and
 * its history, so every live event dispatched after that point reaches it. While it is
 * `catching_up` (the replay of (since, E] is being read and sent) live events are held, in
 * stream order. `goLive(E)` then releases the held events above E and, from then on, drops
 * any live event at or below E: the live reader may be behind E (those events were replayed)
 * or ahead of it (they were held). Each event is therefore sent once, in stream order.
 */
export class Subscription {
  /** The channel. */
  readonly channel: Channel;
  private readonly sink: SubscriptionSink;
  private state: 'catching_up' | 'live' | 'closed' = 'catching_up';
  private held: HeldEvent[] = [];
  private heldBytes = 0;
  private floor: string | undefined;
  private lastId: string | undefined;

  constructor(channel: Channel, sink: SubscriptionSink) {
    this.channel = channel;
    this.sink = sink;
  }

  /** Whether it still delivers (not unsubscribed, revoked or closed with its connection). */
  get active(): boolean {
    return this.state !== 'closed';
  }

  /** Whether live events are sent straight away (false while catching up). */
  get live(): boolean {
    return this.state === 'live';
  }

  /** The client has every event of the channel up to this stream id (undefined until known). */
  get position(): string | undefined {
    return this.lastId;
  }

  /** Bytes of live events held while catching up. */
  get heldSize(): number {
    return this.heldBytes;
  }

  /** A live event for this channel, in stream order: held, sent, or dropped as already covered. */
  offer(id: string, frame: Buffer): void {
    if (this.state === 'live') {
      if (this.floor !== undefined) {
        if (compareStreamIds(id, this.floor) <= 0) return;
        this.floor = undefined;
      }
      this.lastId = id;
      this.sink.positionMoved?.(this);
      this.sink.sendEvent(this, id, frame);
    } else if (this.state === 'catching_up') {
      this.held.push({ id, frame });
      this.heldBytes += frame.length;
      this.sink.heldBytesChanged(frame.length);
    }
  }

  /** Records that the client was sent (or has) everything up to `id`, e.g. a replayed event. */
  advance(id: string): void {
    if (this.lastId === undefined || compareStreamIds(id, this.lastId) > 0) {
      this.lastId = id;
      this.sink.positionMoved?.(this);
    }
  }

  /**
   * Ends catching up: events up to `floor` (the stream end read at subscribe time) are
   * covered by the replay or the client's own position; held events above it are sent now,
   * in order, and later live events at or below it are dropped.
   */
  goLive(floor: string): void {
    if (this.state !== 'catching_up') return;
    this.advance(floor);
    this.state = 'live';
    this.floor = floor;
    const held = this.held;
    this.releaseHeld();
    for (const event of held) {
      if (this.state !== 'live') return;
      this.offer(event.id, event.frame);
    }
  }

  /**
   * Ends it because its stream no longer continues from what it was sent (trimmed unseen, or
   * gone back, see `StreamFanout`): it stops like `close()`, and its sink is told, so the
   * client resumes from the history, which reports the gap.
   */
  interrupt(): void {
    if (this.state === 'closed') return;
    this.close();
    this.sink.interrupted(this);
  }

  /** Stops delivery for good and frees the held events. Idempotent. */
  close(): void {
    this.state = 'closed';
    this.releaseHeld();
  }

  private releaseHeld(): void {
    this.held = [];
    if (this.heldBytes !== 0) {
      const bytes = this.heldBytes;
      this.heldBytes = 0;
      this.sink.heldBytesChanged(-bytes);
    }
  }
}
