import { channelMatchesEvent, channelNamesForEvent } from './match-event';
import { parseChannel } from './parse-channel';
import type { Channel } from './channel';

function channel(text: string): Channel {
  const result = parseChannel(text);
  if (!result.ok) throw new Error(result.message);
  return result.channel;
}

describe('channelMatchesEvent', () => {
  it('puts every event of a stream on the whole-stream channel, with or without a subject', () => {
    expect(channelMatchesEvent(channel('market_data'), 'market_data', 'BTC')).toBe(true);
    expect(channelMatchesEvent(channel('market_data'), 'market_data', undefined)).toBe(true);
  });

  it('puts an event on a subject channel only when the subject is exactly the same', () => {
    expect(channelMatchesEvent(channel('market_data:BTC'), 'market_data', 'BTC')).toBe(true);
    expect(channelMatchesEvent(channel('market_data:BTC'), 'market_data', 'ETH')).toBe(false);
    expect(channelMatchesEvent(channel('market_data:BTC'), 'market_data', 'btc')).toBe(false);
    expect(channelMatchesEvent(channel('market_data:BTC'), 'market_data', undefined)).toBe(false);
  });

  it('never matches an event of another stream', () => {
    expect(channelMatchesEvent(channel('alerts'), 'market_data', 'BTC')).toBe(false);
    expect(channelMatchesEvent(channel('alerts:BTC'), 'market_data', 'BTC')).toBe(false);
  });
});

describe('channelNamesForEvent', () => {
  it('names the whole-stream channel and the subject channel of an event', () => {
    expect(channelNamesForEvent('portfolio_updates', 'p-123')).toEqual(['portfolio_updates', 'portfolio_updates:p-123']);
  });

  it('names only the whole-stream channel of an event without a subject', () => {
    expect(channelNamesForEvent('risk_events', undefined)).toEqual(['risk_events']);
  });

  it('names only the whole-stream channel when the subject cannot be a channel', () => {
    expect(channelNamesForEvent('alerts', 'has space')).toEqual(['alerts']);
    expect(channelNamesForEvent('alerts', '')).toEqual(['alerts']);
  });

  it('names nothing for a stream that is not client-facing', () => {
    expect(channelNamesForEvent('service_heartbeats', 'alert-service')).toEqual([]);
  });

  it('agrees with channelMatchesEvent', () => {
    for (const name of channelNamesForEvent('market_data', 'BTC')) {
      expect(channelMatchesEvent(channel(name), 'market_data', 'BTC')).toBe(true);
    }
  });
});
