import { createEvent } from '@rebal/redis-client';
import { parseChannel } from '../channels';
import type { FramedText } from '../protocol';
import { Subscription, type SubscriptionSink } from './subscription';
import { SubscriptionIndex } from './subscription-index';

function live(name: string, frames: FramedText[]): Subscription {
  const parsed = parseChannel(name);
  if (!parsed.ok) throw new Error(parsed.message);
  const sink: SubscriptionSink = { sendEvent: (_s, _id, frame) => frames.push(frame), heldBytesChanged: () => undefined, interrupted: () => undefined };
  const subscription = new Subscription(parsed.channel, sink);
  subscription.goLive('0-0');
  return subscription;
}

const btc = createEvent({ type: 'price_update', source: '/test', subject: 'BTC', data: { symbol: 'BTC', price: 1, currency: 'USD' } });

describe('SubscriptionIndex', () => {
  it('encodes an event once per channel and hands the same bytes to every subscriber', () => {
    const index = new SubscriptionIndex();
    const whole: FramedText[] = [];
    const narrowed: FramedText[] = [];
    const other: FramedText[] = [];
    index.add(live('market_data', whole));
    index.add(live('market_data', whole));
    index.add(live('market_data:BTC', narrowed));
    index.add(live('market_data:ETH', other));
    const result = index.dispatch('market_data', '7-1', btc);
    expect(result.deliveries).toBe(3);
    expect(whole).toHaveLength(2);
    expect(whole[0]).toBe(whole[1]);
    expect(narrowed).toHaveLength(1);
    expect(other).toHaveLength(0);
    expect(result.bytes).toBe(whole[0].frame.length * 2 + narrowed[0].frame.length);
    // One complete WebSocket text frame: FIN + opcode 1, unmasked, then the JSON.
    expect(narrowed[0].frame[0]).toBe(0x81);
    expect(narrowed[0].frame.subarray(narrowed[0].frame.length - narrowed[0].payload.length)).toEqual(narrowed[0].payload);
    expect(JSON.parse(narrowed[0].payload.toString())).toEqual({ type: 'event', channel: 'market_data:BTC', stream: 'market_data', id: '7-1', event: btc });
  });

  it('stops offering events to a removed subscription and forgets empty channels', () => {
    const index = new SubscriptionIndex();
    const frames: FramedText[] = [];
    const subscription = live('market_data:BTC', frames);
    index.add(subscription);
    index.remove(subscription);
    expect(index.dispatch('market_data', '1-0', btc)).toEqual({ deliveries: 0, bytes: 0 });
    expect(index.count('market_data:BTC')).toBe(0);
    expect(frames).toHaveLength(0);
  });
});
