/// <reference types="jest" />
// Run by use-redis.int-spec.ts in a jest process of its own: a test file whose test fails while
// the Redis that useRedis started for it runs (mode from REDIS_FIXTURE_MODE). The test first
// writes that Redis's processes (PID, port, data directory) to REDIS_FIXTURE_REPORT, so the
// outer test can check that all of them are gone once this jest run has ended.
import { writeFileSync } from 'node:fs';
import type { RedisTestMode } from '../redis-test-server';
import { useRedis } from '../use-redis';

const redis = useRedis({ mode: (process.env['REDIS_FIXTURE_MODE'] ?? 'standalone') as RedisTestMode });

it('fails while its Redis runs', () => {
  const nodes = redis.server.processes.map((node) => ({ pid: node.pid, port: node.port, dir: node.dir }));
  writeFileSync(process.env['REDIS_FIXTURE_REPORT'] ?? '', JSON.stringify(nodes));
  expect('this test').toBe('failing on purpose');
});
