import { spawn, type ChildProcess } from 'node:child_process';

/** Options of {@link spawnWatchdog}. */
export interface WatchdogOptions {
  /** Signal sent, as `kill` spells it (default `KILL`). */
  readonly signal?: 'KILL' | 'TERM';
  /** Signal the whole process group `pid` leads instead of the process alone (default false). */
  readonly group?: boolean;
  /** Name shown by `ps` (default `watchdog`). */
  readonly name?: string;
}

/**
 * Signals `pid` (or its process group) once this process dies, however it dies (SIGKILL, a
 * crashed jest worker, where no exit hook runs): a `/bin/sh` in a process group of its own
 * (so a Ctrl-C aimed at this process cannot end it before it acts) that waits for its stdin,
 * a pipe only this process holds, to close. Kill the returned watchdog once the watched
 * process has ended normally. Never throws: returns undefined when no shell can start.
 */
export function spawnWatchdog(pid: number, options: WatchdogOptions = {}): ChildProcess | undefined {
  const target = options.group ? `-${pid}` : String(pid);
  try {
    // No `--` before the pid: dash's `kill` refuses it; after the signal, `-<pid>` is a group.
    const dog = spawn('/bin/sh', ['-c', `read -r _; kill -${options.signal ?? 'KILL'} "$1" 2>/dev/null`, options.name ?? 'watchdog', target], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    });
    dog.on('error', () => undefined);
    dog.stdin?.on('error', () => undefined);
    dog.unref();
    (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return dog;
  } catch {
    return undefined;
  }
}
