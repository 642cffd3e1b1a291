import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnWatchdog } from '@rebal/service-kit';

const COLORS = [36, 33, 35, 32, 34, 91, 96];
let nextColor = 0;

/** Options for {@link ManagedProcess}. */
export interface ManagedProcessOptions {
  /** Short name printed before every line of its output, e.g. `redis`. */
  name: string;
  /** The program to run. */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Its environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Its working directory (default: this process's). */
  cwd?: string;
  /** Where prefixed lines go (default: process.stdout). */
  out?: NodeJS.WritableStream;
  /**
   * Turns each output line into the text printed for it, e.g. a pino JSON line into a
   * readable one; text spanning several lines gets the prefix on each (default: as it is).
   */
  format?: (line: string) => string;
  /** Called for every output line as the child wrote it (after printing), e.g. to watch for a readiness line. */
  onLine?: (line: string) => void;
  /**
   * Run the child in a process group of its own (default false). A Ctrl-C at the terminal
   * sends SIGINT to the whole foreground group; a child outside it does not get it, so the
   * stack can stop it last (Redis, after the services that use it). A watchdog ends such a
   * child with SIGTERM should the stack die without stopping it.
   */
  ownProcessGroup?: boolean;
}

/**
 * A child process of the local stack: its stdout and stderr are printed line by line
 * (through `format` when given) with a `[name]` prefix, coloured on a terminal, and
 * `stop()` ends it with SIGTERM (SIGKILL after a grace period).
 */
export class ManagedProcess {
  /** The `name` option. */
  readonly name: string;
  private readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;

  constructor(options: ManagedProcessOptions) {
    this.name = options.name;
    const color = COLORS[nextColor++ % COLORS.length];
    const out = options.out ?? process.stdout;
    const useColor = out === process.stdout && process.stdout.isTTY;
    const prefix = useColor ? `\x1b[${color}m[${options.name}]\x1b[0m ` : `[${options.name}] `;
    this.child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.ownProcessGroup ?? false,
    });
    const dog = options.ownProcessGroup && this.child.pid !== undefined ? spawnWatchdog(this.child.pid, { signal: 'TERM', name: `${options.name}-watchdog` }) : undefined;
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        const text = options.format ? options.format(line) : line;
        out.write(`${prefix}${text.replaceAll('\n', `\n${prefix}`)}\n`);
        options.onLine?.(line);
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        dog?.kill('SIGKILL');
        resolve(code ?? signal ?? 'unknown');
      });
      this.child.once('error', (error) => {
        out.write(`${prefix}cannot start ${options.command}: ${error.message}\n`);
        dog?.kill('SIGKILL');
        resolve('spawn-error');
      });
    });
  }

  /** The child's PID. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL if it is still running after `graceMs` (default 10 s). */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    this.child.kill('SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }
}
