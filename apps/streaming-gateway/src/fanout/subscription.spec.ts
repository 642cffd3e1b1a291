import { parseChannel } from '../channels';
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

const frame = (text: string) => Buffer.from(text);

describe('Subscription', () => {
  it('holds live events while catching up and sends none of them before goLive', () => {
    const sink = recorder();
    const subscription = new Subscription(channel('alerts'), sink);
    subscription.offer('5-0', frame('five'));
    subscription.offer('6-0', frame('six'));
    expect(sink.sent).toEqual([]);
    expect(sink.held).toBe(7);
    expect(subscription.heldSize).toBe(7);
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

  it('tells its sink each time its position moves, and only then', () => {
    const moves: string[] = [];
    const sink = { ...recorder(), positionMoved: (subscription: Subscription) => moves.push(subscription.position ?? 'none') };
    const subscription = new Subscription(channel('alerts'), sink);
    subscription.advance('3-0');
    subscription.advance('2-0');
    subscription.offer('4-0', frame('held'));
    expect(moves).toEqual(['3-0']);
    subscription.goLive('5-0');
    subscription.offer('5-0', frame('covered'));
    subscription.offer('6-0', frame('six'));
    expect(moves).toEqual(['3-0', '5-0', '6-0']);
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
