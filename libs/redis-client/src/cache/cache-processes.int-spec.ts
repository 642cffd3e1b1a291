import { useRedis, waitFor } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../../..');

/** One replica process running test/wrap-caller-fixture.ts, and what it printed. */
interface Caller {
  readonly child: ChildProcess;
  readonly lines: Array<{ event: string; values?: unknown[] }>;
  readonly exited: Promise<number | null>;
  output: string;
}

function startCaller(env: Record<string, string>): Caller {
  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(__dirname, 'test', 'wrap-caller-fixture.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const caller: Caller = {
    child,
    lines: [],
    output: '',
    exited: new Promise((done) => child.once('exit', (code) => done(code))),
  };
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) if (line.startsWith('{')) caller.lines.push(JSON.parse(line));
  });
  child.stderr?.on('data', (chunk: Buffer) => (caller.output += chunk.toString()));
  return caller;
}

describe('Cache.wrap across processes', () => {
  let probe: Redis;
  // Registered before useRedis so it runs first: the probe quits while the server still answers.
  afterAll(() => probe.quit());
  const redis = useRedis({ appendonly: false });
  beforeAll(() => {
    probe = new Redis(redis.server.url);
  });

  it('calls the loader once when two processes miss the same key with 25 concurrent calls each', async () => {
    const namespace = `processes-${process.pid}-${Date.now()}`;
    const env = {
      REDIS_URL: redis.server.url,
      NAMESPACE: namespace,
      KEY: 'portfolio-7',
      CALLS: '25',
      LOADS_KEY: `test:${namespace}:loads`,
      RELEASE_KEY: `test:${namespace}:release`,
    };
    const callers = [startCaller(env), startCaller(env)];
    let loads = 0;
    const describeState = () => `${loads} loads; ${callers.map((caller) => `${JSON.stringify(caller.lines)} ${caller.output}`).join(' | ')}`;
    try {
      // One process holds the lock and is loading; the other missed too and waits for that load.
      await waitFor(async () => (loads = Number(await probe.get(env.LOADS_KEY))) === 1 && callers.some((c) => c.lines.length > 0), {
        timeoutMs: 30_000,
        message: () => `no process waiting for the other one's load: ${describeState()}`,
      });
      expect(callers.map((caller) => caller.lines.filter((line) => line.event === 'waiting').length).sort()).toEqual([0, 1]);
      await probe.set(env.RELEASE_KEY, '1', 'EX', 60);

      expect(await Promise.all(callers.map((caller) => caller.exited))).toEqual([0, 0]);
      const values = callers.flatMap((caller) => caller.lines.find((line) => line.event === 'done')?.values ?? []);
      expect(values).toHaveLength(50);
      expect(new Set(values.map((value) => JSON.stringify(value))).size).toBe(1);
      expect(Number(await probe.get(env.LOADS_KEY))).toBe(1);
      expect(await probe.get(`cache:${namespace}:portfolio-7`)).toBe(JSON.stringify(values[0]));
    } finally {
      for (const caller of callers) if (caller.child.exitCode === null) caller.child.kill('SIGKILL');
    }
  }, 60_000);
});
