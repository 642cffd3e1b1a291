import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AnyReport } from './ipc';

const ROOT = join(__dirname, '../../../..');
const KEEP_OUTPUT_CHARS = 8_000;

/** Options of {@link BenchProcess.start}. */
export interface BenchProcessOptions {
  /** Name in progress lines and errors. */
  readonly name: string;
  /** Script to run: a `.ts` file (run with tsx) or a JavaScript file; both with an IPC channel. */
  readonly file: string;
  /** Node options, e.g. `--expose-gc` (default none). */
  readonly nodeArgs?: readonly string[];
  /** Command-line arguments (default none). */
  readonly args?: readonly string[];
  /** Environment besides PATH and HOME (default none). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * A process the benchmark started: its PID (for /proc readings), its IPC reports, and a
 * `stop()` that ends it by its PID (SIGTERM, then SIGKILL after a grace period).
 */
export class BenchProcess {
  /** Name in progress lines. */
  readonly name: string;
  private readonly child: ChildProcess;
  private readonly inbox: AnyReport[] = [];
  private readonly waiters = new Set<() => void>();
  private output = '';
  private exited = false;

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-KEEP_OUTPUT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('message', (message) => {
      this.inbox.push(message as AnyReport);
      for (const wake of [...this.waiters]) wake();
    });
    child.on('exit', () => {
      this.exited = true;
      for (const wake of [...this.waiters]) wake();
    });
  }

  /** Starts a process; `.ts` files run in this Node with tsx's require hook and the workspace path aliases. */
  static start(options: BenchProcessOptions): BenchProcess {
    const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TSX_TSCONFIG_PATH: 'tsconfig.base.json', ...options.env };
    const args = [...(options.args ?? [])];
    const nodeArgs = [...(options.file.endsWith('.ts') ? ['--require', 'tsx/cjs'] : []), ...(options.nodeArgs ?? [])];
    const child = fork(options.file, args, { cwd: ROOT, env, execArgv: nodeArgs, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    if (child.pid === undefined) throw new Error(`${options.name} did not start`);
    return new BenchProcess(options.name, child);
  }

  /** The OS process id. */
  get pid(): number {
    return this.child.pid as number;
  }

  /** True until the process exited. */
  get running(): boolean {
    return !this.exited && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last few KB the process wrote to stdout and stderr. */
  get recentOutput(): string {
    return this.output;
  }

  /** Sends a command over IPC. */
  send(message: object): void {
    if (!this.running || !this.child.connected) throw new Error(`${this.name} is not running:\n${this.output}`);
    this.child.send(message);
  }

  /** Resolves with the next report of `type`; rejects if the process exits or `timeoutMs` passes first. */
  async next<T extends AnyReport['type']>(type: T, timeoutMs: number): Promise<Extract<AnyReport, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = this.inbox.findIndex((report) => report.type === type);
      if (at >= 0) return this.inbox.splice(at, 1)[0] as Extract<AnyReport, { type: T }>;
      if (!this.running) throw new Error(`${this.name} exited (code ${this.child.exitCode ?? this.child.signalCode}) before reporting "${type}":\n${this.output}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name} did not report "${type}" within ${timeoutMs} ms:\n${this.output}`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** Ends the process by its PID: SIGTERM, SIGKILL after `graceMs` (default 5 s). Idempotent. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    process.kill(this.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (this.running) process.kill(this.pid, 'SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Every process a run started, so a failure still stops each of them by its PID. */
export class ProcessGroup {
  private readonly processes: BenchProcess[] = [];

  /** Starts a process and remembers it. */
  start(options: BenchProcessOptions): BenchProcess {
    const started = BenchProcess.start(options);
    this.processes.push(started);
    return started;
  }

  /** Stops every process still running. Never rejects. */
  async stopAll(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.stop().catch(() => undefined)));
  }
}
