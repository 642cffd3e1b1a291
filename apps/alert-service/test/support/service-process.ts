import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@rebal/redis-testing';
import { spawnWatchdog } from '@rebal/service-kit';

/** Root of the workspace (the child runs from there so tsx finds tsconfig.base.json). */
const ROOT = join(__dirname, '../../../..');
/** The service's entry point, run from source through tsx with the workspace's path aliases. */
const MAIN = 'apps/alert-service/src/main.ts';

/** One JSON log line of the child. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * The alert service as a real child process (`node --require tsx/cjs apps/alert-service/src/main.ts`)
 * with exactly the environment given (plus PATH and HOME). Its stdout JSON logs are kept in `logs`.
 */
export class AlertServiceProcess {
  /** Parsed log lines, in order. */
  readonly logs: LogLine[] = [];
  /** Standard error text. */
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private portValue: number | undefined;

  private constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--require', 'tsx/cjs', MAIN], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TSX_TSCONFIG_PATH: 'tsconfig.base.json', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const dog = this.child.pid === undefined ? undefined : spawnWatchdog(this.child.pid, { name: 'alert-service-watchdog' });
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

  /** Starts the service and resolves once `/readyz` answers 200. */
  static async start(env: Record<string, string>, timeoutMs = 60_000): Promise<AlertServiceProcess> {
    const service = new AlertServiceProcess(env);
    try {
      await waitFor(() => service.checkAlive() && service.portValue, { timeoutMs, message: () => `the alert service to listen (stderr: ${service.stderr.slice(-500)})` });
      await waitFor(async () => service.checkAlive() && (await fetch(`${service.url}/readyz`)).status === 200, { timeoutMs, intervalMs: 100, message: 'the alert service to be ready' });
    } catch (error) {
      await service.kill('SIGKILL');
      throw error;
    }
    return service;
  }

  /** The bound HTTP port. */
  get port(): number {
    if (this.portValue === undefined) throw new Error('the alert service is not listening yet');
    return this.portValue;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Log messages, in order. */
  messages(): string[] {
    return this.logs.map((line) => line.msg);
  }

  /** Sends `signal` (SIGKILL: no cleanup at all) and resolves with how the process ended. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }

  private checkAlive(): boolean {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      throw new Error(`the alert service exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr.slice(-1000)}`);
    }
    return true;
  }

  private onLine(text: string): void {
    if (!text.startsWith('{')) return;
    try {
      const line = JSON.parse(text) as LogLine;
      this.logs.push(line);
      if (line.msg === 'alert service listening' && typeof line['port'] === 'number') this.portValue = line['port'];
    } catch {
      // not a log line
    }
  }
}
