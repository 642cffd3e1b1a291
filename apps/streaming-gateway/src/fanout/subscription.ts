import type { Channel } from '../channels';
import { compareStreamIds } from '@rebal/gateway-client';
import type { FramedText } from '../protocol';

/** Where a {@link Subscription} sends what it lets through: the client connection. */
export interface SubscriptionSink {
  /** Sends one `event` frame of `subscription` (framed once for every subscriber of its channel). */
  sendEvent(subscription: Subscription, id: string, frame: FramedText): void;
  /** The live events held by a catching-up subscription grew (or, negative, shrank) by `bytes`. */
  heldBytesChanged(bytes: number): void;
  /** The subscription was ended because it cannot go on without a gap (`Subscription.interrupt`): the client must resume. */
  interrupted(subscription: Subscription): void;
}

interface HeldEvent {
  readonly id: string;
  readonly frame: FramedText;
}

const CATCHING_UP = 0;
const LIVE = 1;
const CLOSED = 2;

/**
 * One channel subscribed on one connection, and the switch from history to live delivery.
 *
 * It is registered in the fan-out index BEFORE the gateway reads the stream's end (E) and
 * its history, so every live event dispatched after that point reaches it. While it is
 * catching up (the replay of (since, E] is being read and sent) live events are held, in
 * stream order. `goLive(E)` then releases the held events above E and, from then on, drops
 * any live event at or below E: the live reader may be behind E (those events were replayed)
 * or ahead of it (they were held). Each event is therefore sent once, in stream order.
 *
 * It also keeps the two positions a session records (docs/protocol.md, Sessions): `position`,
 * the last event sent, and `confirmed`, the last one the client is known to have: its `since`,
 * or the position at the connection's last ping once the pong came back (TCP keeps order, so
 * the pong proves every frame sent before the ping arrived). Two string references, no array;
 * a delivery only overwrites `position`.
 */
export class Subscription {
  /** The channel. */
  readonly channel: Channel;
  private readonly sink: SubscriptionSink;
  private state = CATCHING_UP;
  /** Live events held while catching up (allocated with the first one). */
  private held: HeldEvent[] | undefined;
  private heldBytes = 0;
  private floor: string | undefined;
  private lastId: string | undefined;
  private pinged: string | undefined;
  private confirmedId: string | undefined;

  constructor(channel: Channel, sink: SubscriptionSink) {
    this.channel = channel;
    this.sink = sink;
  }

  /** Whether it still delivers (not unsubscribed, revoked or closed with its connection). */
  get active(): boolean {
    return this.state !== CLOSED;
  }

  /** Whether live events are sent straight away (false while catching up). */
  get live(): boolean {
    return this.state === LIVE;
  }

  /** The client was sent (or has) every event of the channel up to this stream id (undefined until known). */
  get position(): string | undefined {
    return this.lastId;
  }

  /** The client is known to have every event of the channel up to this stream id (undefined until known). */
  get confirmed(): string | undefined {
    return this.confirmedId;
  }

  /** Bytes of live events held while catching up. */
  get heldSize(): number {
    return this.heldBytes;
  }

  /** A live event for this channel, in stream order: held, sent, or dropped as already covered. */
  offer(id: string, frame: FramedText): void {
    if (this.state === LIVE) {
      if (this.floor !== undefined) {
        if (compareStreamIds(id, this.floor) <= 0) return;
        this.floor = undefined;
      }
      this.lastId = id;
      this.sink.sendEvent(this, id, frame);
    } else if (this.state === CATCHING_UP) {
      (this.held ??= []).push({ id, frame });
      this.heldBytes += frame.frame.length;
      this.sink.heldBytesChanged(frame.frame.length);
    }
  }

  /** The client has every event up to `since` (its own position, or the session's): sent and confirmed both start there. */
  resumeFrom(since: string): void {
    this.advance(since);
    this.confirmedId = this.lastId;
  }

  /** Records that the client was sent (or has) everything up to `id`, e.g. a replayed event. */
  advance(id: string): void {
    if (this.lastId === undefined || compareStreamIds(id, this.lastId) > 0) this.lastId = id;
  }

  /** The connection pinged: remember what had been sent by then. */
  markPinged(): void {
    this.pinged = this.lastId;
  }

  /** The pong of the connection's last ping came back: what had been sent by that ping arrived. */
  ponged(): void {
    if (this.pinged !== undefined) this.confirmedId = this.pinged;
  }

  /**
   * Ends catching up: events up to `floor` (the stream end read at subscribe time) are
   * covered by the replay or the client's own position; held events above it are sent now,
   * in order, and later live events at or below it are dropped.
   */
  goLive(floor: string): void {
    if (this.state !== CATCHING_UP) return;
    this.advance(floor);
    this.state = LIVE;
    this.floor = floor;
    const held = this.held;
    this.releaseHeld();
    if (held === undefined) return;
    for (const event of held) {
      if (this.state !== LIVE) return;
      this.offer(event.id, event.frame);
    }
  }

  /**
   * Ends it because its stream no longer continues from what it was sent (trimmed unseen, or
   * gone back, see `StreamFanout`): it stops like `close()`, and its sink is told, so the
   * client resumes from the history, which reports the gap.
   */
  interrupt(): void {
    if (this.state === CLOSED) return;
    this.close();
    this.sink.interrupted(this);
  }

  /** Stops delivery for good and frees the held events. Idempotent. */
  close(): void {
    this.state = CLOSED;
    this.releaseHeld();
  }

  private releaseHeld(): void {
    this.held = undefined;
    if (this.heldBytes !== 0) {
      const bytes = this.heldBytes;
      this.heldBytes = 0;
      this.sink.heldBytesChanged(-bytes);
    }
  }
}
