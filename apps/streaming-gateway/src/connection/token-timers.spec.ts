import { TokenTimers } from './token-timers';

describe('TokenTimers', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('warns lead ms before the expiry and fires at the expiry', () => {
    const calls: string[] = [];
    new TokenTimers().schedule(1_000_000 + 60_000, 30_000, {
      onExpiring: (left) => calls.push(`expiring ${left}`),
      onExpired: () => calls.push('expired'),
    });
    jest.advanceTimersByTime(29_999);
    expect(calls).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(calls).toEqual(['expiring 30000']);
    jest.advanceTimersByTime(30_000);
    expect(calls).toEqual(['expiring 30000', 'expired']);
  });

  it('warns at once when the token already expires within the lead time', () => {
    const calls: string[] = [];
    new TokenTimers().schedule(1_000_000 + 10_000, 30_000, { onExpiring: (left) => calls.push(`expiring ${left}`), onExpired: () => calls.push('expired') });
    expect(calls).toEqual(['expiring 10000']);
  });

  it('replaces both timers on a refresh and chains waits longer than one timeout', () => {
    const calls: string[] = [];
    const timers = new TokenTimers();
    const callbacks = { onExpiring: () => calls.push('expiring'), onExpired: () => calls.push('expired') };
    timers.schedule(1_000_000 + 40_000, 30_000, callbacks);
    const farAway = 1_000_000 + 30 * 86_400_000;
    timers.schedule(farAway, 30_000, callbacks);
    jest.advanceTimersByTime(29 * 86_400_000);
    expect(calls).toEqual([]);
    jest.advanceTimersByTime(86_400_000);
    expect(calls).toEqual(['expiring', 'expired']);
    timers.clear();
  });
});
