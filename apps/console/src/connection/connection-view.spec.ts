import { ConnectionTracker } from './connection-view';

const CHANNELS = ['market_data', 'alerts', 'risk_events'];
const NOW = Date.parse('2024-04-05T10:00:00.000Z');

describe('ConnectionTracker', () => {
  it('is connecting until authenticated, then ready once every channel is confirmed; a first visit is fresh', () => {
    const tracker = new ConnectionTracker(CHANNELS);
    expect(tracker.state('connecting', NOW)).toEqual({ kind: 'connecting', state: 'connecting' });
    expect(tracker.state('authenticated', NOW)).toMatchObject({ kind: 'connected', ready: false, subscribed: [], resume: undefined });
    tracker.recovered('market_data', false, 'no_position');
    tracker.recovered('alerts', false, 'no_position');
    expect(tracker.view).toMatchObject({ ready: false, subscribed: ['market_data', 'alerts'] });
    expect(tracker.recovered('risk_events', false, 'no_position')).toEqual({ kind: 'connected', ready: true, subscribed: CHANNELS, resume: 'fresh', gaps: [], since: NOW });
  });

  it('says resumed without a gap when the channels recovered, and names the channels that could not', () => {
    const tracker = new ConnectionTracker(CHANNELS);
    tracker.state('authenticated', NOW);
    for (const channel of CHANNELS) tracker.recovered(channel, true, undefined);
    expect(tracker.view).toMatchObject({ resume: 'gapless', gaps: [] });

    tracker.state('reconnecting', NOW, NOW + 1_500);
    expect(tracker.view).toEqual({ kind: 'reconnecting', retryAt: NOW + 1_500 });
    tracker.state('connecting', NOW + 1_500);
    tracker.state('authenticated', NOW + 1_600);
    tracker.recovered('market_data', false, 'trimmed');
    tracker.recovered('alerts', true, undefined);
    tracker.recovered('risk_events', false, 'no_position');
    tracker.recovered('other', false, 'replay_cap');
    expect(tracker.view).toEqual({ kind: 'connected', ready: true, subscribed: CHANNELS, resume: 'gap', gaps: [{ channel: 'market_data', reason: 'trimmed' }], since: NOW + 1_600 });
  });

  it('shows why the client closed', () => {
    const tracker = new ConnectionTracker(CHANNELS);
    tracker.error('auth_failed', 'the token is invalid');
    expect(tracker.state('closed', NOW)).toEqual({ kind: 'closed', reason: 'auth_failed: the token is invalid' });
    expect(new ConnectionTracker(CHANNELS).state('closed', NOW)).toEqual({ kind: 'closed', reason: 'the connection was closed' });
  });
});
