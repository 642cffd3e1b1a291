import { existsSync } from 'node:fs';
import { detectRedisTestRuntime, parseRedisTestRuntimeSetting } from './detect-redis-test-runtime';
import { InvalidRedisTestRuntimeError } from './invalid-redis-test-runtime-error';

/** Where a Docker engine would answer on a Linux machine; none of them exists on ours. */
const containerRuntimeLikely =
  Boolean(process.env['DOCKER_HOST']) || existsSync('/var/run/docker.sock') || existsSync('/run/podman/podman.sock');

describe('detectRedisTestRuntime', () => {
  (containerRuntimeLikely ? it.skip : it)('settles on the process runtime within 2 s where no container runtime answers', async () => {
    const started = Date.now();
    await expect(detectRedisTestRuntime({ env: {} })).resolves.toBe('process');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('asks only once per process and answers from its cache afterwards', async () => {
    const first = await detectRedisTestRuntime({ env: {} });
    const started = Date.now();
    await expect(detectRedisTestRuntime({ env: {} })).resolves.toBe(first);
    expect(Date.now() - started).toBeLessThan(50);
  });

  it('takes process or container from REDIS_TEST_RUNTIME without probing', async () => {
    const probe = jest.fn(() => Promise.resolve());
    await expect(detectRedisTestRuntime({ env: { REDIS_TEST_RUNTIME: 'process' }, probe })).resolves.toBe('process');
    await expect(detectRedisTestRuntime({ env: { REDIS_TEST_RUNTIME: 'container' }, probe })).resolves.toBe('container');
    expect(probe).not.toHaveBeenCalled();
  });

  it('lets the setting option win over REDIS_TEST_RUNTIME', async () => {
    await expect(detectRedisTestRuntime({ setting: 'process', env: { REDIS_TEST_RUNTIME: 'container' } })).resolves.toBe('process');
  });

  it('answers container when the probe resolves and process when it rejects', async () => {
    await expect(detectRedisTestRuntime({ env: {}, probe: () => Promise.resolve({}) })).resolves.toBe('container');
    await expect(
      detectRedisTestRuntime({ env: { REDIS_TEST_RUNTIME: 'auto' }, probe: () => Promise.reject(new Error('no runtime')) }),
    ).resolves.toBe('process');
  });

  it('gives up on a probe that hangs after probeTimeoutMs and answers process', async () => {
    const started = Date.now();
    const hanging = () => new Promise<never>(() => undefined);
    await expect(detectRedisTestRuntime({ env: {}, probe: hanging, probeTimeoutMs: 100 })).resolves.toBe('process');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects an unknown REDIS_TEST_RUNTIME with a stable code', async () => {
    const failure = detectRedisTestRuntime({ env: { REDIS_TEST_RUNTIME: 'docker' } });
    await expect(failure).rejects.toBeInstanceOf(InvalidRedisTestRuntimeError);
    await expect(failure).rejects.toMatchObject({ code: 'INVALID_REDIS_TEST_RUNTIME' });
  });
});

describe('parseRedisTestRuntimeSetting', () => {
  it('reads an empty or missing value as auto and ignores case and spaces', () => {
    expect(parseRedisTestRuntimeSetting(undefined)).toBe('auto');
    expect(parseRedisTestRuntimeSetting('')).toBe('auto');
    expect(parseRedisTestRuntimeSetting(' Process ')).toBe('process');
  });
});
