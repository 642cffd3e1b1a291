import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from '@rebal/redis-testing';
import { spawnWatchdog, type WatchdogOptions } from './spawn-watchdog';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Live (not zombie) processes of process group `pgid`, from /proc. */
function groupMembers(pgid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return fields[0] !== 'Z' && Number(fields[2]) === pgid ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

/**
 * An owner process that starts `command` detached (its own process group), watched by
 * `spawnWatchdog(pid, options)`, and prints the pid; the test then SIGKILLs the owner.
 */
async function startOwner(command: readonly string[], options: WatchdogOptions): Promise<{ owner: ChildProcess; pid: number }> {
  const owner = spawn(
    process.execPath,
    [
      '--require',
      'tsx/cjs',
      '-e',
      `const { spawn } = require('node:child_process');
       const { spawnWatchdog } = require(${JSON.stringify(require.resolve('./spawn-watchdog'))});
       const [file, ...args] = ${JSON.stringify(command)};
       const target = spawn(file, args, { stdio: 'ignore', detached: true });
       target.unref();
       spawnWatchdog(target.pid, ${JSON.stringify(options)});
       console.log(target.pid);
       setInterval(() => undefined, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  owner.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    return { owner, pid: await waitFor(() => Number(out.trim()) || undefined, { timeoutMs: 20_000, message: "the owner's child pid" }) };
  } catch (error) {
    owner.kill('SIGKILL');
    throw error;
  }
}

describe('spawnWatchdog', () => {
  it('signals the watched process once its owner dies without cleaning up', async () => {
    const { owner, pid: sleeper } = await startOwner(['sleep', '60'], { signal: 'TERM', name: 'test-watchdog' });
    try {
      expect(alive(sleeper)).toBe(true);
      owner.kill('SIGKILL');
      await waitFor(() => !alive(sleeper), { timeoutMs: 10_000, message: 'the watchdog to end the sleeper' });
    } finally {
      owner.kill('SIGKILL');
      if (alive(sleeper)) process.kill(sleeper, 'SIGKILL');
    }
  }, 40_000);

  it('signals a whole process group with group: true', async () => {
    const { owner, pid: group } = await startOwner(['/bin/sh', '-c', 'sleep 60 & sleep 60 & wait'], { group: true, name: 'test-group-watchdog' });
    try {
      await waitFor(() => groupMembers(group).length === 3, { timeoutMs: 10_000, message: 'the shell and its two sleeps to run' });
      owner.kill('SIGKILL');
      await waitFor(() => groupMembers(group).length === 0, { timeoutMs: 10_000, message: () => `the group to be gone (left: ${groupMembers(group).join(', ')})` });
    } finally {
      owner.kill('SIGKILL');
      for (const pid of groupMembers(group)) process.kill(pid, 'SIGKILL');
    }
  }, 40_000);

  it('does nothing once it is killed itself', async () => {
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    const dog = spawnWatchdog(sleeper.pid as number);
    try {
      dog?.kill('SIGKILL');
      await waitFor(() => dog?.exitCode !== null || dog?.signalCode !== null, { timeoutMs: 5_000, message: 'the watchdog to end' });
      expect(alive(sleeper.pid as number)).toBe(true);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });
});
