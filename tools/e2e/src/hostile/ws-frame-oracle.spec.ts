import { checkChannel, expectedReply, isRequestId, isStreamId, type OracleContext } from './ws-frame-oracle';

const before: OracleContext = { authenticated: false, granted: new Set(), maxFrameBytes: 1_024 };
const after: OracleContext = { authenticated: true, granted: new Set(['portfolio_updates:p-1']), maxFrameBytes: 1_024 };
const text = (value: unknown) => ({ data: typeof value === 'string' ? value : JSON.stringify(value), binary: false });

describe('the documented answer to a client frame', () => {
  it('refuses binary frames, oversized frames, text that is not UTF-8 or not JSON, before reading anything', () => {
    expect(expectedReply({ data: Buffer.from('{"op":"ping"}'), binary: true }, after)).toEqual({ type: 'error', codes: ['binary_not_supported'], id: undefined });
    expect(expectedReply(text({ op: 'ping', id: 1, pad: 'x'.repeat(1_024) }), after)).toEqual({ type: 'error', codes: ['frame_too_large'], id: undefined });
    expect(expectedReply({ data: Buffer.from([0x7b, 0xff, 0x7d]), binary: false }, after)).toMatchObject({ codes: ['invalid_json'] });
    expect(expectedReply(text('{"op":'), after)).toMatchObject({ codes: ['invalid_json'] });
  });

  it('echoes a valid id, and answers an invalid one with invalid_frame and no id', () => {
    expect(expectedReply(text({ op: 'ping', id: 'a1' }), before)).toEqual({ type: 'pong', id: 'a1' });
    expect(expectedReply(text({ op: 'ping', id: -1 }), before)).toEqual({ type: 'error', codes: ['invalid_frame'], id: undefined });
    expect(expectedReply(text({ op: 'nope', id: 7 }), before)).toEqual({ type: 'error', codes: ['unknown_op'], id: 7 });
    expect(expectedReply(text({ id: 7 }), before)).toEqual({ type: 'error', codes: ['invalid_frame'], id: 7 });
    expect(isRequestId(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(isRequestId(Number.MAX_SAFE_INTEGER + 1)).toBe(false);
    expect(isRequestId('x'.repeat(65))).toBe(false);
  });

  it('closes with 4001 after a refused first token, but not after a refused refresh', () => {
    expect(expectedReply(text({ op: 'auth', id: 1, token: 'bad' }), before)).toEqual({ type: 'error', codes: ['auth_failed'], id: 1, close: 4001 });
    expect(expectedReply(text({ op: 'auth', id: 1, token: 'bad' }), after)).toEqual({ type: 'error', codes: ['auth_failed'], id: 1 });
    expect(expectedReply(text({ op: 'auth', token: '' }), before)).toMatchObject({ codes: ['invalid_frame'] });
    expect(expectedReply(text({ op: 'auth', token: 't', session: 'short' }), before)).toMatchObject({ codes: ['invalid_frame'] });
  });

  it('ignores the session field of a refresh, as protocol.md says (issue 11 item 8)', () => {
    expect(expectedReply(text({ op: 'auth', id: 2, token: 'bad', session: null }), after)).toEqual({ type: 'error', codes: ['auth_failed'], id: 2 });
    expect(expectedReply(text({ op: 'auth', id: 2, token: 'bad', session: 'short' }), after)).toEqual({ type: 'error', codes: ['auth_failed'], id: 2 });
    expect(expectedReply(text({ op: 'auth', id: 2, token: 'bad', session: null }), before)).toMatchObject({ codes: ['invalid_frame'] });
  });

  it('judges channels, grants and since positions', () => {
    expect(expectedReply(text({ op: 'subscribe', id: 's', channels: ['portfolio_updates:p-1'] }), after)).toEqual({ type: 'subscribed', id: 's' });
    expect(expectedReply(text({ op: 'subscribe', id: 's', channels: ['alerts'] }), after)).toMatchObject({ codes: ['not_granted'] });
    expect(expectedReply(text({ op: 'subscribe', channels: ['alerts'] }), before)).toMatchObject({ codes: ['not_authenticated'] });
    expect(expectedReply(text({ op: 'unsubscribe', id: 'u', channels: ['alerts'] }), after)).toEqual({ type: 'unsubscribed', id: 'u' });
    expect(expectedReply(text({ op: 'subscribe', channels: ['market_data:BT*'] }), after)).toMatchObject({ codes: ['invalid_channel'] });
    expect(expectedReply(text({ op: 'subscribe', channels: ['nope'] }), after)).toMatchObject({ codes: ['unknown_channel'] });
    expect(expectedReply(text({ op: 'subscribe', channels: ['alerts'], since: { risk_events: '1-0' } }), after)).toMatchObject({ codes: ['invalid_frame'] });
    expect(checkChannel('market_data:BTC:x')).toEqual({ ok: true, name: 'market_data:BTC:x' });
    expect(isStreamId('18446744073709551615-0')).toBe(true);
    expect(isStreamId('18446744073709551616-0')).toBe(false);
    expect(isStreamId('01-0')).toBe(false);
  });
});
