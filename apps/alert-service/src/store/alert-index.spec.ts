import { alertKeys } from './alert-keys';
import { idOfIndexMember, indexMember, isIndexMember } from './alert-index';
import { decodeCursor, encodeCursor } from './alert-query';

describe('alert keys and index members', () => {
  it('puts every key in the hash slot of the alerts stream, prefixed or not', () => {
    expect(alertKeys().alert('x')).toBe('{alerts}:alert:x');
    const keys = alertKeys('staging:alerts');
    expect([keys.stream, keys.fingerprint('f'), keys.indexLabel('symbol', 'BTC'), keys.partitionStates(3), keys.lease(3), keys.partitionPrices(3)]).toEqual([
      'staging:alerts',
      '{staging:alerts}:fp:f',
      '{staging:alerts}:index:label:symbol=BTC',
      '{staging:alerts}:states:3',
      '{staging:alerts}:lease:3',
      '{staging:alerts}:prices:3',
    ]);
    expect(() => alertKeys('{alerts}')).toThrow(RangeError);
    expect(() => alertKeys('')).toThrow(RangeError);
  });

  it('orders index members by start time, then id, and gives the id back', () => {
    const early = indexMember({ startsAt: 999, id: 'b' });
    const late = indexMember({ startsAt: 1000, id: 'a' });
    expect(early < late).toBe(true);
    expect(idOfIndexMember(late)).toBe('a');
    expect(isIndexMember(late)).toBe(true);
  });

  it('round-trips cursors and refuses any it did not issue', () => {
    const member = indexMember({ startsAt: 1_740_830_400_000, id: '5a1e9c3e-0000-4000-8000-000000000000' });
    expect(decodeCursor(encodeCursor(member))).toBe(member);
    expect(() => decodeCursor('not-a-cursor')).toThrow(expect.objectContaining({ code: 'ERR_INVALID_INPUT' }));
  });
});
