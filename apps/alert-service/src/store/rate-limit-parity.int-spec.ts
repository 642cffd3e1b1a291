import { useRedis } from '@rebal/redis-testing';
import { decideRateLimit, rateLimitKeys, resolveRateLimitPolicy, utcDay, type RateLimitCounters } from '../rules';
import { AlertCommitPlan, type PlanDecision } from './alert-commit-plan';
import { commit, Connections, newStore, transitionOf, unique } from './test/store-test-kit';

/** A deterministic pseudo-random sequence (mulberry32), so a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('alert-commit.lua rate limit', () => {
  const connections = new Connections();
  afterAll(() => connections.closeAll());
  const redis = useRedis({ appendonly: false }, 60_000);

  it('decides exactly as decideRateLimit over a storm that crosses a UTC day boundary', async () => {
    const conn = connections.connect(redis.server);
    const stream = unique('parity');
    const policy = resolveRateLimitPolicy({ S1: { perMinute: 3, burst: 4, perDay: 25 } });
    const next = random(42);
    let nowMs = Date.parse('2025-03-01T23:40:00Z');
    let counters: RateLimitCounters | undefined;
    let day = utcDay(nowMs);
    const expected: PlanDecision[] = [];
    const actual: PlanDecision[] = [];
    for (let i = 0; i < 400; i += 1) {
      nowMs += Math.floor(next() * (next() < 0.2 ? 120_000 : 5_000));
      if (utcDay(nowMs) !== day) {
        day = utcDay(nowMs);
        counters = counters && { tokens: counters.tokens, updatedAtMs: counters.updatedAtMs }; // a new day's counter starts at 0
      }
      const decision = decideRateLimit('S1', counters, nowMs, policy);
      counters = decision.next;
      expected.push(decision.allowed ? 'notify' : decision.reason === 'burst' ? 'rate_limit' : 'budget');

      const keys = rateLimitKeys('S1', nowMs, { alertsStreamKey: stream });
      const plan = new AlertCommitPlan(10_000, 10).event(stream, ['type', 'probe', 'data', '{"i":1}'], undefined, '{}', {
        kind: 'rate_limit',
        bucketKey: keys.bucketKey,
        dayKey: keys.dayKey,
        dayKeyTtlSeconds: keys.dayKeyTtlSeconds,
        perMinute: policy.S1.perMinute,
        burst: policy.S1.burst ?? policy.S1.perMinute,
        perDay: policy.S1.perDay,
        nowMs,
      });
      const outcome = await plan.run(conn);
      if (outcome.status !== 'ok') throw new Error(`unexpected ${outcome.status}`);
      actual.push(outcome.events[0]?.decision as PlanDecision);
    }
    expect(actual).toEqual(expected);
    // The storm exercised all three outcomes, so the comparison means something.
    expect(new Set(expected)).toEqual(new Set(['notify', 'rate_limit', 'budget']));
    const [, last] = await conn.xrevrange(stream, '+', '-', 'COUNT', 1).then((entries) => entries[0] ?? ['', []]);
    expect(last[last.length - 1]).toMatch(/^\{"i":1,"notify":(true|false)(,"suppressedBy":"(rate_limit|budget)")?\}$/);
  });

  it('decides and stores exactly as decideRateLimit when two replicas with clocks 60 s apart take turns', async () => {
    const conn = connections.connect(redis.server);
    const stream = unique('parity');
    const policy = resolveRateLimitPolicy({ S2: { perMinute: 4, burst: 3, perDay: 1000 } });
    const next = random(7);
    let baseMs = Date.parse('2025-03-01T12:00:00Z');
    let counters: RateLimitCounters | undefined;
    const expected: PlanDecision[] = [];
    const actual: PlanDecision[] = [];
    for (let i = 0; i < 200; i += 1) {
      baseMs += Math.floor(next() * 20_000);
      const nowMs = baseMs + (next() < 0.5 ? 60_000 : 0);
      const decision = decideRateLimit('S2', counters, nowMs, policy);
      counters = decision.next;
      expected.push(decision.allowed ? 'notify' : 'rate_limit');
      const keys = rateLimitKeys('S2', nowMs, { alertsStreamKey: stream });
      const budget = policy.S2;
      const plan = new AlertCommitPlan(10_000, 10).event(stream, ['type', 'probe', 'data', '{"i":1}'], undefined, '{}', {
        kind: 'rate_limit',
        ...keys,
        perMinute: budget.perMinute,
        burst: budget.burst ?? budget.perMinute,
        perDay: budget.perDay,
        nowMs,
      });
      const outcome = await plan.run(conn);
      if (outcome.status !== 'ok') throw new Error(`unexpected ${outcome.status}`);
      actual.push(outcome.events[0]?.decision as PlanDecision);
    }
    expect(actual).toEqual(expected);
    expect(new Set(expected)).toEqual(new Set(['notify', 'rate_limit']));
    const stored = await conn.hgetall(rateLimitKeys('S2', baseMs, { alertsStreamKey: stream }).bucketKey);
    expect(Number(stored['updatedAtMs'])).toBe(counters?.updatedAtMs);
    expect(Number(stored['tokens'])).toBeCloseTo(counters?.tokens ?? Number.NaN, 9);
  });

  it('issue 11 item 23: replicas whose clocks are 60 s apart share one budget: an S1 storm notifies at most burst + 1 minute of refill', async () => {
    const conn = connections.connect(redis.server);
    const alertsStream = unique('alerts');
    const T = Date.parse('2025-03-01T12:00:00Z');
    const replicas = [newStore(conn, { alertsStream, clock: () => T }), newStore(conn, { alertsStream, clock: () => T + 60_000 })];
    let notified = 0;
    for (let i = 0; i < 40; i += 1) {
      const symbol = `SYM${i}`;
      const changes = await commit(replicas[i % 2] as (typeof replicas)[number], [
        transitionOf({ transition: 'raise', severity: 'S1', labels: { rule: 'r', kind: 'price_threshold', symbol }, atMs: T }),
      ]);
      notified += changes.filter((change) => change.notify).length;
    }
    // S1: burst 10, 6 per minute; the two clocks span 60 s.
    expect(notified).toBeLessThanOrEqual(16);
    expect(notified).toBeGreaterThanOrEqual(10);
  });
});
