import { isGatewayReady, READER_RECOVERY_GRACE_MS, type GatewayReadinessFacts } from './gateway-readiness';

const SERVING: GatewayReadinessFacts = { closing: false, started: true, readersRan: true, redisReady: true, reading: true, redisReadyForMs: 60_000 };

describe('isGatewayReady', () => {
  it('is ready while it serves, and not while closing or before it started', () => {
    expect(isGatewayReady(SERVING)).toBe(true);
    expect(isGatewayReady({ ...SERVING, closing: true })).toBe(false);
    expect(isGatewayReady({ ...SERVING, started: false })).toBe(false);
  });

  it('issue 11 item 32: stays ready while Redis is down, readers or not: every replica is in the same outage', () => {
    expect(isGatewayReady({ ...SERVING, redisReady: false, reading: false, redisReadyForMs: 0 })).toBe(true);
  });

  it('issue 11 item 32: gives its readers a grace period after Redis returns, then counts stuck readers against it', () => {
    expect(isGatewayReady({ ...SERVING, reading: false, redisReadyForMs: READER_RECOVERY_GRACE_MS - 1 })).toBe(true);
    expect(isGatewayReady({ ...SERVING, reading: false, redisReadyForMs: READER_RECOVERY_GRACE_MS })).toBe(false);
  });

  it('is not ready while it has never served: wrong Redis credentials, or started during an outage', () => {
    expect(isGatewayReady({ ...SERVING, readersRan: false, redisReady: false, reading: false, redisReadyForMs: 0 })).toBe(false);
    expect(isGatewayReady({ ...SERVING, readersRan: false, reading: false, redisReadyForMs: 1_000 })).toBe(false);
  });
});
