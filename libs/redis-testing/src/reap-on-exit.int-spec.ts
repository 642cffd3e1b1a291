import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from './wait-for';

/** Whether a process with this PID still runs (a zombie waiting to be reaped does not). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z is a zombie. Absent off Linux.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
}

/** Starts the fixture in its own Node process and resolves with the redis-server it started. */
function startFixture(): Promise<{ owner: ReturnType<typeof spawn>; pid: number; dir: string }> {
  const owner = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, 'test', 'orphaned-server-fixture.ts')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    owner.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve({ owner, ...(JSON.parse(line) as { pid: number; dir: string }) });
    });
    owner.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    owner.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${output}`)));
  });
}

describe('reapOnExit', () => {
  it('kills the redis-server of a test process that dies by SIGKILL, where no exit hook runs', async () => {
    const { owner, pid, dir } = await startFixture();
    try {
      expect(isAlive(pid)).toBe(true);
      owner.kill('SIGKILL');
      await waitFor(() => !isAlive(pid), { timeoutMs: 5_000, message: `redis-server ${pid} still running after its owner died` });
    } finally {
      owner.kill('SIGKILL');
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
