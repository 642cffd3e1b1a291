import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from './test/is-process-alive';
import { waitFor } from './wait-for';

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
      expect(isProcessAlive(pid)).toBe(true);
      owner.kill('SIGKILL');
      await waitFor(() => !isProcessAlive(pid), { timeoutMs: 5_000, message: `redis-server ${pid} still running after its owner died` });
    } finally {
      owner.kill('SIGKILL');
      if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 20_000);
});
