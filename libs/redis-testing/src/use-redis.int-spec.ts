import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RedisTestMode } from './redis-test-server';
import { isProcessAlive } from './test/is-process-alive';

const REPO_ROOT = resolve(__dirname, '../../..');
const FIXTURE = join(__dirname, 'test', 'failing-test-fixture.ts');

/** Runs test/failing-test-fixture.ts in a jest process of its own; resolves with its exit code and output. */
function runFailingTestFile(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/jest/bin/jest.js'), '--config', join(__dirname, '..', 'jest.config.js'), '--ci', '--testMatch', FIXTURE],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 90_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, output: stdout + stderr }),
    );
  });
}

describe('useRedis', () => {
  it.each<RedisTestMode>(['standalone', 'cluster'])(
    'stops every %s process it started and removes its files when a test of the file fails',
    async (mode) => {
      const scratch = mkdtempSync(join(tmpdir(), 'rebal-use-redis-'));
      const report = join(scratch, 'nodes.json');
      try {
        const run = await runFailingTestFile({ REDIS_FIXTURE_MODE: mode, REDIS_FIXTURE_REPORT: report });
        expect(run.output).toContain('failing on purpose');
        expect(run.code).toBe(1);
        const nodes = JSON.parse(readFileSync(report, 'utf8')) as Array<{ pid: number; dir: string }>;
        expect(nodes).toHaveLength(mode === 'cluster' ? 3 : 1);
        for (const node of nodes) {
          expect(isProcessAlive(node.pid)).toBe(false);
          // Removed by dispose() in useRedis's afterAll: the exit-time reaper only kills processes.
          expect(existsSync(node.dir)).toBe(false);
        }
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
