import { decodeSessionRecord, encodeSessionRecord, sessionKey } from './session-record';

describe('session records', () => {
  const record = { subject: 'user-1', channels: ['alerts', 'market_data:BTC'], positions: { alerts: '17-0' } };

  it('round-trips through its stored form', () => {
    expect(decodeSessionRecord(encodeSessionRecord(record))).toEqual(record);
  });

  it('refuses stored text that is not a valid record', () => {
    expect(decodeSessionRecord(null)).toBeUndefined();
    expect(decodeSessionRecord('{')).toBeUndefined();
    expect(decodeSessionRecord(JSON.stringify({ v: 2, sub: 'u', channels: [], positions: {} }))).toBeUndefined();
    expect(decodeSessionRecord(JSON.stringify({ v: 1, sub: 'u', channels: ['nope'], positions: {} }))).toBeUndefined();
    expect(decodeSessionRecord(JSON.stringify({ v: 1, sub: 'u', channels: ['alerts'], positions: { alerts: 'x' } }))).toBeUndefined();
  });

  it('keys sessions under the deployment prefix', () => {
    expect(sessionKey('abc', 'staging:')).toBe('staging:session:abc');
  });
});
