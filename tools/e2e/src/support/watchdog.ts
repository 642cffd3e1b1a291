import { spawn, type ChildProcess } from 'node:child_process';

/** Options of {@link startWatchdog}. */
export interface WatchdogOptions {
  /** Kill the whole process group `pid` leads (`kill -9 -- -pid`) instead of the process alone (default false). */
  group?: boolean;
  /** Name shown by `ps` (default `e2e-watchdog`). */
  name?: string;
}

/**
 * Kills `pid` (or its process group) with SIGKILL should this process die without cleaning
 * up, e.g. a crashed jest worker: a shell in a process group of its own that waits for its
 * stdin, a pipe from this process, to close. Kill the returned watchdog once the watched
 * process has ended normally.
 */
export function startWatchdog(pid: number, options: WatchdogOptions = {}): ChildProcess {
  const target = options.group ? `-${pid}` : String(pid);
  const dog = spawn('/bin/sh', ['-c', 'read -r _; kill -9 -- "$1" 2>/dev/null', options.name ?? 'e2e-watchdog', target], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  dog.on('error', () => undefined);
  dog.stdin?.on('error', () => undefined);
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return dog;
}
