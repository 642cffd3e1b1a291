import { startRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import { ApiClient, signToken } from './support/api-client';
import { thresholdRule } from './support/events';
import { AlertServiceProcess } from './support/service-process';
import { serviceEnv, uniquePrefix } from './support/suite-context';

/**
 * docs/operations.md §5.2 for a Redis that hangs rather than goes away: SIGSTOP keeps its
 * sockets open (a network black-hole or a failover that leaves sockets open looks the same).
 * The service must notice it, answer /readyz 503, fail writes fast with 503, log
 * `degraded mode` once, and recover by itself once Redis answers again.
 */
describe('alert service with a Redis that hangs', () => {
  let server: RedisTestServer | undefined;
  let service: AlertServiceProcess | undefined;
  beforeAll(async () => {
    server = await startRedis({ appendonly: false });
  }, 60_000);
  afterAll(async () => {
    await service?.kill('SIGKILL');
    await server?.dispose();
  }, 60_000);

  it('issue 11 item 29: /readyz 503, writes 503 within the command timeout, degraded mode logged once, and recovery after SIGCONT', async () => {
    if (!server) throw new Error('no server');
    const pid = server.processes[0]?.pid;
    if (pid === undefined) throw new Error('no redis-server process to pause');
    service = await AlertServiceProcess.start(serviceEnv(server, uniquePrefix(), { REDIS_COMMAND_TIMEOUT: '1s' }));
    const running = service;
    const api = new ApiClient(running.url, await signToken('alice'));
    const readyz = async () => (await fetch(`${running.url}/readyz`)).status;
    const degradedLines = () => running.messages().filter((message) => message.includes('degraded mode')).length;
    await api.expect(201, 'POST', '/rules', thresholdRule('before-hang', 'BTC', 100));
    expect(await readyz()).toBe(200);

    process.kill(pid, 'SIGSTOP');
    try {
      // A write sent before the hang is noticed waits at most the command timeout.
      const started = performance.now();
      const early = await api.request<{ code: string }>('POST', '/rules', { body: thresholdRule('during-hang', 'ETH', 100) });
      expect(early.status).toBe(503);
      expect(early.body.code).toBe('redis_unavailable');
      expect(performance.now() - started).toBeLessThan(1_000 + 1_500);

      await waitFor(async () => (await readyz()) === 503, { timeoutMs: 10_000, message: '/readyz to answer 503 while Redis hangs' });
      // Once noticed, writes fail at once.
      const fastStart = performance.now();
      const late = await api.request<{ code: string }>('POST', '/rules', { body: thresholdRule('during-hang-2', 'SOL', 100) });
      expect(late.status).toBe(503);
      expect(late.body.code).toBe('redis_unavailable');
      expect(performance.now() - fastStart).toBeLessThan(500);
      expect((await fetch(`${running.url}/livez`)).status).toBe(200);
      await waitFor(() => degradedLines() === 1, { message: 'degraded mode logged' });
    } finally {
      process.kill(pid, 'SIGCONT');
    }

    await waitFor(async () => (await readyz()) === 200, { timeoutMs: 30_000, intervalMs: 200, message: '/readyz to answer 200 again' });
    await api.expect(201, 'POST', '/rules', thresholdRule('after-hang', 'ADA', 100));
    expect(degradedLines()).toBe(1);
    expect(running.messages()).toContain('Redis connection restored');
  }, 90_000);
});
