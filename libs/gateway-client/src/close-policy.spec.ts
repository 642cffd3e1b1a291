import { decideOnClose, reconnectDelay } from './close-policy';

describe('decideOnClose', () => {
  it('follows the close code table of the protocol', () => {
    expect(decideOnClose(1000, true)).toEqual({ action: 'stop', code: 'connection_closed' });
    expect(decideOnClose(1001, false)).toEqual({ action: 'reconnect', delay: 'soon' });
    expect(decideOnClose(1006, false)).toEqual({ action: 'reconnect', delay: 'backoff' });
    expect(decideOnClose(1013, false)).toEqual({ action: 'reconnect', delay: 'backoff' });
    expect(decideOnClose(4008, false)).toEqual({ action: 'reconnect', delay: 'long' });
    expect(decideOnClose(4009, false)).toEqual({ action: 'reconnect', delay: 'backoff' });
  });

  it('ends on a refused or expired fixed token but retries when a token function can supply a new one', () => {
    expect(decideOnClose(4001, false)).toEqual({ action: 'stop', code: 'auth_failed' });
    expect(decideOnClose(4003, false)).toEqual({ action: 'stop', code: 'token_expired' });
    expect(decideOnClose(4001, true)).toEqual({ action: 'reconnect', delay: 'backoff' });
    expect(decideOnClose(4003, true)).toEqual({ action: 'reconnect', delay: 'soon' });
  });
});

describe('reconnectDelay', () => {
  const backoff = { baseMs: 500, maxMs: 30_000, jitter: 'full' } as const;

  it('keeps soon below the base delay and long in the upper half of the maximum', () => {
    expect(reconnectDelay('soon', 9, backoff, () => 0.99)).toBeLessThan(500);
    expect(reconnectDelay('long', 0, backoff, () => 0)).toBe(15_000);
    expect(reconnectDelay('long', 0, backoff, () => 0.99)).toBeLessThan(30_000);
    expect(reconnectDelay('backoff', 2, backoff, () => 0.5)).toBe(1_000);
  });
});
