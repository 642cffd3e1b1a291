import { parseChannel } from '../channels';
import { frameText } from '../protocol';
import { Subscription, type SubscriptionSink } from './subscription';

function channel(name: string) {
  const parsed = parseChannel(name);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.channel;
}

function recorder(): SubscriptionSink & { sent: string[]; held: number } {
  const sink = {
    sent: [] as string[],
    held: 0,
    sendEvent: (_subscription: Subscription, id: string) => sink.sent.push(id),
    heldBytesChanged: (bytes: number) => (sink.held += bytes),
    interrupted: () => undefined,
  };
  return sink;
}

// Held bytes count whole WebSocket frames: a 2-byte header for these short texts.
const frame = (text: string) => frameText(text);

describe('Subscription', () => {
  it('holds live events while catching up and sends none of them before goLive', () => {
    const sink = recorder();
    const subscription = new Subscription(channel('alerts'), sink);
    subscription.offer('5-0', frame('five'));
    subscription.offer('6-0', frame('six'));
    expect(sink.sent).toEqual([]);
    expect(sink.held).toBe(2 + 4 + 2 + 3);
    expect(subscription.heldSize).toBe(2 + 4 + 2 + 3);
  });

  it('drops held events the replay covered when the live reader was ahead of the replay end', () => {
    const sink = recorder();
    const subscription = new Subscription(channel('alerts'), sink);
    // The live reader had already passed 4-0 and 5-0 when the stream end (5-0) was read.
    for (const id of ['4-0', '5-0', '6-0', '7-0']) subscription.offer(id, frame(id));
    subscription.goLive('5-0');
    expect(sink.sent).toEqual(['6-0', '7-0']);
    expect(sink.held).toBe(0);
    subscription.offer('8-0', frame('8'));
    expect(sink.sent).toEqual(['6-0', '7-0', '8-0']);
    expect(subscription.position).toBe('8-0');
  });

  it('drops live events up to the replay end when the live reader was behind it', () => {
    const sink = recorder();
    const subscription = new Subscription(channel('alerts'), sink);
    subscription.goLive('9-0');
    for (const id of ['7-0', '8-0', '9-0', '10-0', '11-0']) subscription.offer(id, frame(id));
    expect(sink.sent).toEqual(['10-0', '11-0']);
  });

  it('records positions from replays and the stream end, never moving backwards', () => {
    const subscription = new Subscription(channel('alerts'), recorder());
    subscription.advance('3-0');
    subscription.advance('2-0');
    expect(subscription.position).toBe('3-0');
    subscription.goLive('12-0');
    expect(subscription.position).toBe('12-0');
  });

  it('issue 11 item 3: confirms the position it had at the last ping once that ping is answered, never one sent after it', () => {
    const subscription = new Subscription(channel('alerts'), recorder());
    subscription.goLive('0-0');
    subscription.offer('1-0', frame('one'));
    subscription.markPinged();
    subscription.offer('2-0', frame('two'));
    expect(subscription.position).toBe('2-0');
    expect(subscription.confirmed).toBeUndefined();
    subscription.ponged();
    expect(subscription.confirmed).toBe('1-0');
    // A ping whose pong never comes confirms nothing.
    subscription.markPinged();
    subscription.offer('3-0', frame('three'));
    expect(subscription.confirmed).toBe('1-0');
    subscription.markPinged();
    subscription.ponged();
    expect(subscription.confirmed).toBe('3-0');
  });

  it('counts the position a client resumes from as confirmed, and a ping before any position confirms nothing', () => {
    const resumed = new Subscription(channel('alerts'), recorder());
    resumed.resumeFrom('5-0');
    expect([resumed.position, resumed.confirmed]).toEqual(['5-0', '5-0']);
    resumed.markPinged();
    resumed.goLive('9-0');
    resumed.ponged();
    expect([resumed.position, resumed.confirmed]).toEqual(['9-0', '5-0']);

    const fresh = new Subscription(channel('alerts'), recorder());
    fresh.markPinged();
    fresh.resumeFrom('7-0');
    fresh.ponged();
    expect(fresh.confirmed).toBe('7-0');
  });

  it('sends nothing after close and frees what it held', () => {
    const sink = recorder();
    const subscription = new Subscription(channel('alerts'), sink);
    subscription.offer('1-0', frame('one'));
    subscription.close();
    subscription.goLive('0-0');
    subscription.offer('2-0', frame('two'));
    expect(sink.sent).toEqual([]);
    expect(sink.held).toBe(0);
    expect(subscription.active).toBe(false);
  });
});
