import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { freePort, useRedis } from '@rebal/redis-testing';
import type { DoctorReport } from './doctor-report';
import { main, type DoctorCliIo } from './doctor-cli';

const REPO_ROOT = resolve(__dirname, '../../../..');

function bufferIo(): DoctorCliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
    },
  };
  return io;
}

/** Runs the CLI as users do, in its own process, and resolves with its exit code and output. */
function spawnCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      join(REPO_ROOT, 'node_modules/.bin/tsx'),
      ['libs/redis-client/src/doctor/doctor-cli.ts', ...args],
      { cwd: REPO_ROOT, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

describe('doctor CLI', () => {
  describe('without a Redis', () => {
    it('prints the usage with every variable it reads and exits 0 for --help', async () => {
      const io = bufferIo();
      expect(await main(['--help'], {}, io)).toBe(0);
      for (const text of ['Usage:', '--url <redis-url>', '--json', '--timeout <ms>', 'REDIS_URL', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_CLUSTER_NODES', 'REDIS_TLS_CA_FILE', 'REDIS_STREAM_PREFIX']) {
        expect(io.out).toContain(text);
      }
    });

    it('exits 2 for an unknown option', async () => {
      const io = bufferIo();
      expect(await main(['--frobnicate'], {}, io)).toBe(2);
      expect(io.err).toContain('unknown argument "--frobnicate"');
    });

    it('exits 2 and names REDIS_URL when it is not a Redis URL', async () => {
      const io = bufferIo();
      expect(await main([], { REDIS_URL: 'http://user:hunter2@localhost:6379' }, io)).toBe(2);
      expect(io.err).toContain('REDIS_URL');
      expect(io.err).not.toContain('hunter2');
    });

    it.each([
      ['/', 'redis://:Xy@Zq7/TopSecretTail@redis.internal:6379/0'],
      ['#', 'redis://:Xy@Zq7#TopSecretTail@redis.internal:6379/0'],
      ['?', 'redis://:Xy@Zq7?TopSecretTail@redis.internal:6379/0'],
    ])('issue 11 item 27: echoes no part of a password split by a raw @ and %s, from the environment or --url, as text or JSON', async (_case, url) => {
      for (const [argv, env] of [[[], { REDIS_URL: url }], [['--url', url], {}], [['--json'], { REDIS_URL: url }], [['--json', '--url', url], {}]] as const) {
        const io = bufferIo();
        expect(await main(argv, env, io)).toBe(2);
        const printed = (io.out + io.err).toLowerCase();
        expect(printed).toContain('redis_url');
        for (const part of ['Xy', 'Zq7', 'TopSecretTail', 'redis.internal']) expect(printed).not.toContain(part.toLowerCase());
      }
    });

    it('exits 3 quickly with the "Connection refused" troubleshooting when nothing listens', async () => {
      const port = await freePort();
      const io = bufferIo();
      const started = Date.now();
      expect(await main(['--timeout', '4000'], { REDIS_URL: `redis://127.0.0.1:${port}/0` }, io)).toBe(3);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(io.err).toContain(`cannot reach Redis at redis://127.0.0.1:${port}/0`);
      expect(io.err).toContain('is redis-server running?');
      expect(io.err).toContain('REDIS_URL');
      expect(io.err).toContain(`redis-cli -u redis://127.0.0.1:${port}/0 ping`);
    });

    it('prints the unreachable error as JSON with --json', async () => {
      const port = await freePort();
      const io = bufferIo();
      expect(await main(['--json', '--url', `redis://127.0.0.1:${port}/0`], {}, io)).toBe(3);
      expect(JSON.parse(io.out)).toMatchObject({ ok: false, exitCode: 3, error: { code: 'ERR_UNREACHABLE' } });
    });
  });

  describe('against a server configured as the design asks', () => {
    const redis = useRedis({ args: ['--maxmemory-policy', 'noeviction'] });

    it('exits 0 and prints a readable report', async () => {
      const io = bufferIo();
      expect(await main([], { REDIS_URL: redis.server.url, REDIS_STREAM_PREFIX: 'cli-good:' }, io)).toBe(0);
      expect(io.out).toContain(`Redis doctor: ${redis.server.url}`);
      expect(io.out).toMatch(/OK\s+AOF persistence \(appendonly\)/);
      expect(io.out).toContain('cli-good:market_data');
      expect(io.out).toContain('Result: READY');
    });

    it('prints a report that parses with --json', async () => {
      const io = bufferIo();
      expect(await main(['--json', '--url', redis.server.url], { REDIS_URL: 'redis://127.0.0.1:1/0' }, io)).toBe(0);
      const report = JSON.parse(io.out) as DoctorReport;
      expect(report.ok).toBe(true);
      expect(report.target).toBe(redis.server.url);
      expect(report.checks.find((c) => c.id === 'memory.policy')?.status).toBe('ok');
    });

    it('exits 0 when run for real with tsx', async () => {
      const result = await spawnCli(['--timeout', '10000'], { REDIS_URL: redis.server.url });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Result: READY');
    }, 90_000);
  });

  describe('against a server that requires a password', () => {
    const redis = useRedis({ args: ['--requirepass', 'right-secret'] });

    it('exits 3 saying the credentials were refused, without printing the password', async () => {
      const io = bufferIo();
      const url = redis.server.url.replace('redis://', 'redis://:wrong-secret@');
      expect(await main([], { REDIS_URL: url }, io)).toBe(3);
      expect(io.err).toContain('refused the credentials');
      expect(io.err).toContain('WRONGPASS');
      expect(io.err).not.toContain('wrong-secret');
    });
  });

  describe('against a server without AOF that evicts with allkeys-lru', () => {
    const redis = useRedis({ args: ['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'] });

    it('exits 1 and shows each failed requirement with its fix', async () => {
      const io = bufferIo();
      expect(await main(['--no-color'], { REDIS_URL: redis.server.url }, io)).toBe(1);
      expect(io.out).toMatch(/FAIL\s+AOF persistence \(appendonly\)\s+appendonly is no/);
      expect(io.out).toMatch(/FAIL\s+Eviction policy \(maxmemory-policy\).*allkeys-lru evicts alerts and streams/);
      expect(io.out).toContain('fix: redis-cli CONFIG SET maxmemory-policy noeviction');
      expect(io.out).toContain('Result: NOT READY');
    });

    it('exits 1 when run for real with tsx', async () => {
      const result = await spawnCli(['--json'], { REDIS_URL: redis.server.url });
      expect(result.code).toBe(1);
      expect((JSON.parse(result.stdout) as DoctorReport).ok).toBe(false);
    }, 90_000);
  });
});
