import { CLIENT_FACING_STREAMS } from '@rebal/redis-client';
import { CHANNEL_STREAMS } from './channel-streams';
import { formatChannel } from './channel';
import { parseChannel } from './parse-channel';

describe('parseChannel', () => {
  it('parses a whole-stream channel without a subject', () => {
    expect(parseChannel('market_data')).toEqual({ ok: true, channel: { name: 'market_data', stream: 'market_data' } });
  });

  it('parses a channel narrowed to one subject', () => {
    expect(parseChannel('portfolio_updates:p-123')).toEqual({
      ok: true,
      channel: { name: 'portfolio_updates:p-123', stream: 'portfolio_updates', subject: 'p-123' },
    });
  });

  it('splits at the first colon so a subject may contain colons', () => {
    const result = parseChannel('alerts:tenant:42');
    expect(result).toMatchObject({ ok: true, channel: { stream: 'alerts', subject: 'tenant:42', name: 'alerts:tenant:42' } });
  });

  it('accepts every client-facing stream and no other', () => {
    for (const stream of CHANNEL_STREAMS) expect(parseChannel(stream).ok).toBe(true);
    expect(parseChannel('service_heartbeats')).toMatchObject({ ok: false, code: 'unknown_channel' });
  });

  it('lists the same streams as the library table of client-facing streams', () => {
    expect([...CHANNEL_STREAMS].sort()).toEqual([...CLIENT_FACING_STREAMS].sort());
  });

  it('refuses an unknown stream with unknown_channel and names it', () => {
    const result = parseChannel('weather:paris');
    expect(result).toMatchObject({ ok: false, code: 'unknown_channel' });
    expect(!result.ok && result.message).toContain('"weather:paris"');
  });

  it.each([
    ['an empty name', ''],
    ['an empty subject', 'market_data:'],
    ['a wildcard subject', 'market_data:*'],
    ['a subject with a wildcard inside', 'market_data:BT*'],
    ['a subject with a space', 'market_data:BTC USD'],
    ['a subject with a control character', 'market_data:BTC\u0000'],
    ['a subject longer than 256 characters', `market_data:${'x'.repeat(257)}`],
    ['a name longer than 300 characters', 'x'.repeat(301)],
  ])('refuses %s with invalid_channel', (_what, text) => {
    expect(parseChannel(text)).toMatchObject({ ok: false, code: 'invalid_channel' });
  });

  it('refuses a value that is not a string with invalid_channel', () => {
    expect(parseChannel(42)).toMatchObject({ ok: false, code: 'invalid_channel' });
    expect(parseChannel(null)).toMatchObject({ ok: false, code: 'invalid_channel' });
  });

  it('accepts a subject of exactly 256 characters', () => {
    expect(parseChannel(`market_data:${'x'.repeat(256)}`).ok).toBe(true);
  });

  it('shortens a long input in the message', () => {
    const result = parseChannel('y'.repeat(301));
    expect(!result.ok && result.message.length).toBeLessThan(150);
  });

  it('round-trips through formatChannel', () => {
    for (const text of ['alerts', 'risk_events:alert-service', 'market_data:ETH-USD']) {
      const result = parseChannel(text);
      if (!result.ok) throw new Error(result.message);
      expect(formatChannel(result.channel.stream, result.channel.subject)).toBe(text);
    }
  });
});
