import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { spawnWatchdog } from '@rebal/service-kit';
import type { LogLine } from './monitor-harness';

/** Root of the workspace: the child runs from there so tsx finds tsconfig.base.json and its path aliases. */
const ROOT = join(__dirname, '../../../..');

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A service of this workspace as a real child process, run from source
 * (`node --require tsx/cjs apps/<app>/src/main.ts`) with exactly the environment given (plus
 * PATH, HOME, `HOST=127.0.0.1`, `PORT=0`). Its JSON log lines are kept in `logs`; it is
 * listening once it logged `<listeningMessage>` with a numeric `port`. A watchdog SIGKILLs it
 * should the test process die without stopping it.
 */
export class ServiceProcess {
  /** Parsed log lines, in order. */
  readonly logs: LogLine[] = [];
  /** Standard error text. */
  stderr = '';
  /** Resolves once the process has exited. */
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private portValue: number | undefined;

  private constructor(
    /** The app, e.g. `health-monitor`. */
    readonly app: string,
    private readonly listeningMessage: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--require', 'tsx/cjs', `apps/${app}/src/main.ts`], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TSX_TSCONFIG_PATH: 'tsconfig.base.json', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const dog = this.child.pid === undefined ? undefined : spawnWatchdog(this.child.pid, { name: `${app}-watchdog` });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        dog?.kill('SIGKILL');
        resolve({ code, signal });
      });
    });
    let pending = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.onLine(line);
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
  }

  /** Starts `apps/<app>/src/main.ts` and resolves once it listens and `/readyz` answers 200. */
  static async start(app: string, listeningMessage: string, env: Record<string, string>, timeoutMs = 60_000): Promise<ServiceProcess> {
    const service = new ServiceProcess(app, listeningMessage, env);
    // A poll against a deadline (this file is compiled with the app, where the jest-bound test harness is not available).
    const deadline = Date.now() + timeoutMs;
    try {
      while (!(service.checkAlive() && service.portValue !== undefined && (await service.fetch('/readyz').then((r) => r.status === 200, () => false)))) {
        if (Date.now() > deadline) throw new Error(`${app} was not listening and ready within ${timeoutMs} ms (stderr: ${service.stderr.slice(-500)})`);
        await delay(100);
      }
    } catch (error) {
      await service.stop('SIGKILL');
      throw error;
    }
    return service;
  }

  /** The bound HTTP port. */
  get port(): number {
    if (this.portValue === undefined) throw new Error(`${this.app} is not listening yet`);
    return this.portValue;
  }

  /** A request to its HTTP server (no keep-alive, so no socket outlives the test). */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`http://127.0.0.1:${this.port}${path}`, { ...init, headers: { connection: 'close', ...init.headers } });
  }

  /** Log messages, in order. */
  messages(): string[] {
    return this.logs.map((line) => line.msg);
  }

  /** Sends `signal` to this process (by its pid) and resolves with how it ended. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<ProcessExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  private checkAlive(): boolean {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      throw new Error(`${this.app} exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr.slice(-1000)}`);
    }
    return true;
  }

  private onLine(text: string): void {
    if (!text.startsWith('{')) return;
    try {
      const line = JSON.parse(text) as LogLine;
      this.logs.push(line);
      if (line.msg === this.listeningMessage && typeof line['port'] === 'number') this.portValue = line['port'];
    } catch {
      // not a log line
    }
  }
}
