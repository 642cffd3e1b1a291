import { parseGrant } from './channel-grant';
import { isChannelGranted } from './is-channel-granted';
import { parseChannel } from './parse-channel';
import type { Channel } from './channel';
import type { ChannelGrant } from './channel-grant';

function channel(text: string): Channel {
  const result = parseChannel(text);
  if (!result.ok) throw new Error(result.message);
  return result.channel;
}

function grants(...texts: string[]): ChannelGrant[] {
  return texts.map((text) => {
    const result = parseGrant(text);
    if (!result.ok) throw new Error(result.message);
    return result.grant;
  });
}

describe('parseGrant', () => {
  it('parses the four grant forms', () => {
    expect(parseGrant('*')).toEqual({ ok: true, grant: { kind: 'all', name: '*' } });
    expect(parseGrant('market_data')).toEqual({ ok: true, grant: { kind: 'stream', name: 'market_data', stream: 'market_data' } });
    expect(parseGrant('market_data:*')).toEqual({
      ok: true,
      grant: { kind: 'any_subject', name: 'market_data:*', stream: 'market_data' },
    });
    expect(parseGrant('portfolio_updates:p-123')).toEqual({
      ok: true,
      grant: { kind: 'subject', name: 'portfolio_updates:p-123', stream: 'portfolio_updates', subject: 'p-123' },
    });
  });

  it('refuses a grant on an unknown stream with unknown_channel', () => {
    expect(parseGrant('weather')).toMatchObject({ ok: false, code: 'unknown_channel' });
    expect(parseGrant('weather:*')).toMatchObject({ ok: false, code: 'unknown_channel' });
  });

  it.each([
    ['an empty grant', ''],
    ['a number', 7],
    ['a partial wildcard', 'market_data:BT*'],
    ['a wildcard stream with a subject', '*:BTC'],
    ['an empty subject', 'alerts:'],
    ['a subject with whitespace', 'alerts:a b'],
  ])('refuses %s with invalid_channel', (_what, text) => {
    expect(parseGrant(text)).toMatchObject({ ok: false, code: 'invalid_channel' });
  });
});

describe('isChannelGranted', () => {
  it('allows nothing without grants', () => {
    expect(isChannelGranted(channel('market_data'), [])).toBe(false);
  });

  it('lets "*" read every channel of every stream', () => {
    const all = grants('*');
    for (const text of ['market_data', 'alerts:a-1', 'risk_events', 'portfolio_updates:p-9']) {
      expect(isChannelGranted(channel(text), all)).toBe(true);
    }
  });

  it('lets a whole-stream grant read the stream and every subject of it, but no other stream', () => {
    const marketData = grants('market_data');
    expect(isChannelGranted(channel('market_data'), marketData)).toBe(true);
    expect(isChannelGranted(channel('market_data:BTC'), marketData)).toBe(true);
    expect(isChannelGranted(channel('alerts'), marketData)).toBe(false);
    expect(isChannelGranted(channel('alerts:BTC'), marketData)).toBe(false);
  });

  it('lets a subject wildcard read any single subject but not the whole stream', () => {
    const anySymbol = grants('market_data:*');
    expect(isChannelGranted(channel('market_data:BTC'), anySymbol)).toBe(true);
    expect(isChannelGranted(channel('market_data:ETH'), anySymbol)).toBe(true);
    expect(isChannelGranted(channel('market_data'), anySymbol)).toBe(false);
    expect(isChannelGranted(channel('risk_events:BTC'), anySymbol)).toBe(false);
  });

  it('lets a subject grant read exactly that subject, case-sensitively', () => {
    const one = grants('portfolio_updates:p-123');
    expect(isChannelGranted(channel('portfolio_updates:p-123'), one)).toBe(true);
    expect(isChannelGranted(channel('portfolio_updates:p-1234'), one)).toBe(false);
    expect(isChannelGranted(channel('portfolio_updates:P-123'), one)).toBe(false);
    expect(isChannelGranted(channel('portfolio_updates'), one)).toBe(false);
    expect(isChannelGranted(channel('risk_events:p-123'), one)).toBe(false);
  });

  it('allows a channel when any one of several grants allows it', () => {
    const mixed = grants('alerts', 'portfolio_updates:p-1', 'market_data:*');
    expect(isChannelGranted(channel('alerts:a-7'), mixed)).toBe(true);
    expect(isChannelGranted(channel('portfolio_updates:p-1'), mixed)).toBe(true);
    expect(isChannelGranted(channel('market_data:SOL'), mixed)).toBe(true);
    expect(isChannelGranted(channel('portfolio_updates:p-2'), mixed)).toBe(false);
    expect(isChannelGranted(channel('risk_events'), mixed)).toBe(false);
  });
});
