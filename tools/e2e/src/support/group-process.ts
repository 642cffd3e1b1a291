import { spawn, type ChildProcess } from 'node:child_process';
import { spawnWatchdog } from '@rebal/service-kit';
import { OutputLog } from './output-log';

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  /** Exit code; null when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it; null after a normal exit. */
  readonly signal: NodeJS.Signals | null;
}

/** Options of {@link GroupProcess.spawn}. */
export interface GroupProcessOptions {
  /** Working directory. */
  cwd: string;
  /** The whole environment of the process. */
  env: NodeJS.ProcessEnv;
}

/**
 * A command run as the leader of a new process group (`detached`), as a shell runs a
 * terminal's foreground job: `signalGroup('SIGINT')` is what Ctrl-C does. Its stdout and
 * stderr go to one {@link OutputLog}. A watchdog SIGKILLs the group should the test process
 * die without calling {@link GroupProcess.killGroup}.
 */
export class GroupProcess {
  /** Its stdout and stderr, interleaved as they arrived. */
  readonly output = new OutputLog();
  /** Resolves when the leader has exited. */
  readonly exited: Promise<ProcessExit>;
  private exitValue: ProcessExit | undefined;
  private readonly dog: ChildProcess | undefined;

  private constructor(private readonly child: ChildProcess) {
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.append(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => this.output.append(chunk));
    this.dog = child.pid === undefined ? undefined : spawnWatchdog(child.pid, { group: true, name: 'e2e-group-watchdog' });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitValue = { code, signal };
        resolve(this.exitValue);
      });
      this.child.once('error', (error) => {
        this.output.append(`\ncannot start: ${error.message}\n`);
        this.exitValue = { code: 127, signal: null };
        resolve(this.exitValue);
      });
    });
  }

  /** Starts `command args` as the leader of a new process group. */
  static spawn(command: string, args: readonly string[], options: GroupProcessOptions): GroupProcess {
    return new GroupProcess(spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  /** The leader's pid, which is also the process group id. */
  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`the process did not start: ${this.output.tail(500)}`);
    return this.child.pid;
  }

  /** How the leader ended; undefined while it runs. */
  get exit(): ProcessExit | undefined {
    return this.exitValue;
  }

  /** Sends `signal` to every process of the group (`kill(-pgid)`); false when the group is gone. */
  signalGroup(signal: NodeJS.Signals): boolean {
    try {
      process.kill(-this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGKILLs whatever is left of the group, and retires the watchdog. Safe to call twice. */
  killGroup(): void {
    this.signalGroup('SIGKILL');
    this.dog?.kill('SIGKILL');
  }
}
