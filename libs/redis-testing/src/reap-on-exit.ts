import { spawn, type ChildProcess } from 'node:child_process';
import { hostProcess, processSingleton } from './host-process';

/** Children to kill when the process exits, shared by every copy of this module in the process. */
function liveChildren(): Set<ChildProcess> {
  return processSingleton('rebal.redis-testing.live-children', () => {
    const live = new Set<ChildProcess>();
    hostProcess().once('exit', () => {
      for (const child of live) {
        try {
          child.kill('SIGKILL');
        } catch {
          // already gone
        }
      }
    });
    return live;
  });
}

/**
 * A `/bin/sh` that waits for its stdin to close and then SIGKILLs `pid`. Only this process
 * holds the other end of that pipe, so it closes however this process ends — also on
 * SIGKILL or a crashed jest worker, where no `exit` hook runs.
 */
function spawnWatchdog(pid: number): ChildProcess | undefined {
  try {
    const watchdog = spawn('/bin/sh', ['-c', 'read -r _; kill -9 "$1" 2>/dev/null', 'rebal-redis-watchdog', String(pid)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      // Its own process group, so a Ctrl-C aimed at the test run cannot kill it before it acts.
      detached: true,
    });
    watchdog.on('error', () => undefined);
    watchdog.stdin?.on('error', () => undefined);
    watchdog.unref();
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return watchdog;
  } catch {
    return undefined;
  }
}

/**
 * Makes sure `child` does not outlive this process: SIGKILL from an `exit` hook on the real
 * process, and a watchdog that kills it when this process dies without running hooks.
 * Both are released when the child exits on its own.
 */
export function reapOnExit(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const live = liveChildren();
  live.add(child);
  const watchdog = spawnWatchdog(child.pid);
  child.once('exit', () => {
    live.delete(child);
    watchdog?.kill('SIGKILL');
  });
}
