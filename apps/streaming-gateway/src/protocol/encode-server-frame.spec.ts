import type { CloudEvent } from '@rebal/redis-client';
import { encodeError, encodeEvent, encodeFrame } from './encode-server-frame';
import type { ServerFrame } from '@rebal/gateway-client';

describe('encodeEvent', () => {
  const event: CloudEvent = {
    specversion: '1.0',
    id: 'evt-1',
    source: '/pricing-job',
    type: 'price_update',
    time: '2024-04-05T10:00:00.000Z',
    subject: 'BTC',
    datacontenttype: 'application/json',
    data: { symbol: 'BTC', price: 64_000.5, currency: 'USD', note: 'quote " and \\ backslash, unicode é \u2028' },
  };

  it('produces exactly what a naive JSON.stringify of the same frame produces', () => {
    const frame = { type: 'event', channel: 'market_data:BTC', stream: 'market_data', id: '1712345678901-0', event };
    const encoded = encodeEvent({ channel: frame.channel, stream: frame.stream, id: frame.id, eventJson: JSON.stringify(event) });
    expect(encoded).toBe(JSON.stringify(frame));
    expect(JSON.parse(encoded)).toEqual(frame);
  });

  it('escapes channel names that need escaping', () => {
    const channel = 'alerts:a"b\\c';
    const encoded = encodeEvent({ channel, stream: 'alerts', id: '1-1', eventJson: '{}' });
    expect(JSON.parse(encoded)).toEqual({ type: 'event', channel, stream: 'alerts', id: '1-1', event: {} });
  });

  it('reuses one serialized event for several channels', () => {
    const eventJson = JSON.stringify(event);
    const onStream = encodeEvent({ channel: 'market_data', stream: 'market_data', id: '5-0', eventJson });
    const onSubject = encodeEvent({ channel: 'market_data:BTC', stream: 'market_data', id: '5-0', eventJson });
    expect(JSON.parse(onStream).event).toEqual(JSON.parse(onSubject).event);
    expect(JSON.parse(onStream).channel).toBe('market_data');
  });
});

describe('encodeError', () => {
  it('writes the error frame with only the fields that are set', () => {
    expect(JSON.parse(encodeError({ code: 'invalid_json', message: 'bad' }))).toEqual({ type: 'error', code: 'invalid_json', message: 'bad' });
    expect(
      JSON.parse(encodeError({ code: 'rate_limited', message: 'slow down', id: 4, retryAfterMs: 50 })),
    ).toEqual({ type: 'error', id: 4, code: 'rate_limited', message: 'slow down', retryAfterMs: 50 });
    expect(JSON.parse(encodeError({ code: 'not_granted', message: 'no', id: 'x', channel: 'alerts' }))).toEqual({
      type: 'error',
      id: 'x',
      code: 'not_granted',
      message: 'no',
      channel: 'alerts',
    });
  });

  it('puts type first so clients can dispatch on it', () => {
    expect(encodeError({ code: 'internal_error', message: 'x', id: 1 }).startsWith('{"type":"error",')).toBe(true);
  });
});

describe('encodeFrame', () => {
  it('serializes every server frame type as JSON', () => {
    const frames: ServerFrame[] = [
      {
        type: 'welcome',
        id: 'a1',
        protocol: 1,
        session: { id: 'sess-12345678', resumed: false, channels: [] },
        subject: 'user-1',
        grants: ['market_data:*'],
        expiresAt: 1_712_345_678_000,
        heartbeatIntervalMs: 30_000,
        limits: { maxFrameBytes: 65_536, maxSubscriptions: 100, maxChannelsPerFrame: 100, rateLimitPerSecond: 20, rateLimitBurst: 40 },
      },
      { type: 'authenticated', subject: 'user-1', grants: ['alerts'], expiresAt: 1, revoked: ['market_data:BTC'] },
      { type: 'subscribed', id: 2, channels: [{ channel: 'alerts', recovered: false, replayed: 0, reason: 'no_position' }] },
      { type: 'unsubscribed', channels: ['market_data:BTC'], reason: 'revoked' },
      { type: 'pong', id: 3, time: 5 },
      { type: 'token_expiring', expiresAt: 10, expiresInMs: 5 },
    ];
    for (const frame of frames) expect(JSON.parse(encodeFrame(frame))).toEqual(frame);
  });
});
