import { waitFor } from '@rebal/redis-testing';
import type { SharedFixture } from './shared-fixture';

/** Redis goes away and comes back under the running service. Runs last: it stops the suite's Redis. */
export function degradedModeTests(fx: SharedFixture): void {
  describe('degraded mode', () => {
    it('answers 503 redis_unavailable and /readyz 503 while Redis is down, and recovers when it is back', async () => {
      const readyz = async () => (await fetch(`${fx.service.url}/readyz`)).status;
      expect(await readyz()).toBe(200);
      await fx.server().stop();
      await waitFor(async () => (await readyz()) === 503, { timeoutMs: 20_000, message: '/readyz to answer 503' });
      const res = await fx.api.request<{ code: string }>('GET', '/alerts');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('redis_unavailable');
      expect(res.headers.get('retry-after')).toBe('5');
      expect((await fetch(`${fx.service.url}/livez`)).status).toBe(200);
      expect(fx.service.messages.some((message) => message.includes('degraded mode'))).toBe(true);

      await fx.server().start();
      await waitFor(async () => (await readyz()) === 200, { timeoutMs: 60_000, intervalMs: 200, message: '/readyz to answer 200 again' });
      expect((await fx.api.request('GET', '/alerts')).status).toBe(200);
      expect(fx.service.messages.filter((message) => message === 'Redis Streams initialized successfully').length).toBeGreaterThanOrEqual(2);
    }, 120_000);
  });
}
