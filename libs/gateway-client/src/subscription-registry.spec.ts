import { GatewayClientError } from './gateway-client-error';
import { SubscriptionRegistry } from './subscription-registry';

describe('SubscriptionRegistry', () => {
  it('uses a given since as the resume position and the dedupe bound', () => {
    const registry = new SubscriptionRegistry();
    void registry.want('alerts', '10-5');
    expect(registry.sinceFor(['alerts', 'market_data'])).toEqual({ alerts: '10-5' });
    expect(registry.advance('alerts', '10-5')).toBe(false);
    expect(registry.advance('alerts', '10-6')).toBe(true);
    expect(registry.sinceFor(['alerts'])).toEqual({ alerts: '10-6' });
  });

  it('keeps wants and positions across a lost connection but forgets them on drop', async () => {
    const registry = new SubscriptionRegistry();
    const subscribed = registry.want('market_data');
    registry.markInFlight(['market_data']);
    expect(registry.pending()).toEqual([]);
    registry.confirm('market_data', { channel: 'market_data', recovered: false, replayed: 0, reason: 'no_position' });
    await expect(subscribed).resolves.toMatchObject({ channel: 'market_data' });
    registry.advance('market_data', '1-0');

    registry.resetConnection();
    expect(registry.pending()).toEqual(['market_data']);
    expect(registry.lastId('market_data')).toBe('1-0');

    const again = registry.want('market_data');
    expect(registry.drop('market_data', new GatewayClientError('unsubscribed', 'gone'))).toBe(false);
    await expect(again).rejects.toMatchObject({ code: 'unsubscribed' });
    expect(registry.channels()).toEqual([]);
    expect(registry.advance('market_data', '2-0')).toBe(false);
  });
});
