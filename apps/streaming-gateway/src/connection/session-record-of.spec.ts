import { parseChannel } from '../channels';
import { Subscription, type SubscriptionSink } from '../fanout';
import { frameText } from '../protocol';
import { sessionRecordOf } from './session-record-of';

const sink: SubscriptionSink = { sendEvent: () => undefined, heldBytesChanged: () => undefined, interrupted: () => undefined };

function subscription(name: string): Subscription {
  const parsed = parseChannel(name);
  if (!parsed.ok) throw new Error(parsed.message);
  return new Subscription(parsed.channel, sink);
}

describe('sessionRecordOf', () => {
  it('lists resumed channels first, then subscriptions, with the positions sent or confirmed', () => {
    const alerts = subscription('alerts');
    alerts.resumeFrom('5-0');
    alerts.goLive('7-0');
    alerts.offer('8-0', frameText('eight'));
    const btc = subscription('market_data:BTC');
    btc.goLive('3-0');
    const pending = new Map<string, string | undefined>([
      ['risk_events', '2-0'],
      ['portfolio_updates:p-1', undefined],
    ]);
    expect(sessionRecordOf('user-1', pending, [alerts, btc], 'sent')).toEqual({
      subject: 'user-1',
      channels: ['risk_events', 'portfolio_updates:p-1', 'alerts', 'market_data:BTC'],
      positions: { risk_events: '2-0', alerts: '8-0', 'market_data:BTC': '3-0' },
    });
    // Only `since` counts as confirmed until a pong confirms more.
    expect(sessionRecordOf('user-1', pending, [alerts, btc], 'confirmed').positions).toEqual({ risk_events: '2-0', alerts: '5-0' });
  });
});
