import type { RedisConnection } from '../connection/redis-connection';
import { ConsumerGroupRunnerError } from './consumer-group-runner-error';
import { resolveRunnerOptions, type ConsumerGroupRunnerOptions } from './consumer-group-runner-options';

// Option checks never touch the connections, so two distinct placeholders stand in for them.
const base = (): ConsumerGroupRunnerOptions => ({
  redis: {} as RedisConnection,
  blockingRedis: {} as RedisConnection,
  stream: 'market_data',
  group: 'alert-service',
  consumer: 'pod-0',
  handler: async () => undefined,
});

describe('resolveRunnerOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveRunnerOptions(base())).toMatchObject({
      concurrency: 10,
      count: 100,
      blockMs: 2_000,
      claimIdleMs: 30_000,
      claimIntervalMs: 5_000,
      maxDeliveries: 5,
      noAck: false,
      startId: '$',
      validate: true,
      deadLetterInvalid: true,
      ownsBlockingConnection: false,
      maxBackoffMs: 5_000,
      metricsIntervalMs: 5_000,
    });
  });

  it('issue 11 item 29: bounds each read at BLOCK plus the command timeout of its Redis unless told otherwise', () => {
    expect(resolveRunnerOptions(base()).readTimeoutMs).toBe(5_000);
    expect(resolveRunnerOptions({ ...base(), readTimeoutMs: 300 }).readTimeoutMs).toBe(300);
    expect(() => resolveRunnerOptions({ ...base(), readTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'ERR_RUNNER_OPTIONS' }));
  });

  it('does not dead-letter invalid entries in fan-out mode unless asked to', () => {
    expect(resolveRunnerOptions({ ...base(), noAck: true }).deadLetterInvalid).toBe(false);
    expect(resolveRunnerOptions({ ...base(), noAck: true, deadLetterInvalid: true }).deadLetterInvalid).toBe(true);
  });

  it.each([
    ['concurrency', { concurrency: 0 }],
    ['count', { count: 1.5 }],
    ['maxDeliveries', { maxDeliveries: -1 }],
    ['stream', { stream: '' }],
  ])('refuses a bad %s with ERR_RUNNER_OPTIONS', (_name, patch) => {
    const attempt = () => resolveRunnerOptions({ ...base(), ...patch });
    expect(attempt).toThrow(ConsumerGroupRunnerError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'ERR_RUNNER_OPTIONS' }));
  });

  it('accepts any type by default and keeps a copy of the stream types it is given', () => {
    expect(resolveRunnerOptions(base()).types).toBeUndefined();
    const types = ['price_update'];
    const resolved = resolveRunnerOptions({ ...base(), types });
    types.push('alert.raised');
    expect(resolved.types).toEqual(['price_update']);
  });

  it.each([
    ['an empty list', []],
    ['an empty type name', ['price_update', '']],
  ])('refuses types that are %s with ERR_RUNNER_OPTIONS', (_name, types) => {
    expect(() => resolveRunnerOptions({ ...base(), types })).toThrow(expect.objectContaining({ code: 'ERR_RUNNER_OPTIONS' }));
  });

  it('refuses one connection for both roles', () => {
    const shared = {} as RedisConnection;
    expect(() => resolveRunnerOptions({ ...base(), redis: shared, blockingRedis: shared })).toThrow(/its own connection/);
  });
});
