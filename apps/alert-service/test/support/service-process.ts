import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@rebal/redis-testing';
import { spawnWatchdog } from '@rebal/service-kit';

/** Root of the workspace (the child runs from there so tsx finds tsconfig.base.json). */
const ROOT = join(__dirname, '../../../..');
/** The entry point of an app of the workspace, run from source through tsx with the workspace's path aliases. */
const mainOf = (app: string) => `apps/${app}/src/main.ts`;

/** One JSON log line of the child. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * The alert service (or, with {@link AlertServiceProcess.startApp}, another service of the
 * workspace that a test runs beside it, e.g. the health monitor) as a real child process
 * (`node --require tsx/cjs apps/<app>/src/main.ts`) with exactly the environment given (plus
 * PATH and HOME). Its stdout JSON logs are kept in `logs`; it listens once it logged a message
 * ending in `listening` with a numeric `port`.
 */
export class AlertServiceProcess {
  /** Parsed log lines, in order. */
  readonly logs: LogLine[] = [];
  /** Standard error text. */
  stderr = '';
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private portValue: number | undefined;

  private constructor(
    env: Record<string, string>,
    /** The app, e.g. `alert-service`. */
    readonly app: string,
  ) {
    this.child = spawn(process.execPath, ['--require', 'tsx/cjs', mainOf(app)], {
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

  /** Starts the alert service and resolves once `/readyz` answers 200. */
  static start(env: Record<string, string>, timeoutMs = 60_000): Promise<AlertServiceProcess> {
    return AlertServiceProcess.startApp('alert-service', env, timeoutMs);
  }

  /** Starts `apps/<app>` (e.g. `health-monitor`, `market-simulator`) and resolves once `/readyz` answers 200. */
  static async startApp(app: string, env: Record<string, string>, timeoutMs = 60_000): Promise<AlertServiceProcess> {
    const service = new AlertServiceProcess(env, app);
    try {
      await waitFor(() => service.checkAlive() && service.portValue, { timeoutMs, message: () => `${app} to listen (stderr: ${service.stderr.slice(-500)})` });
      await waitFor(async () => service.checkAlive() && (await fetch(`${service.url}/readyz`)).status === 200, { timeoutMs, intervalMs: 100, message: `${app} to be ready` });
    } catch (error) {
      await service.kill('SIGKILL');
      throw error;
    }
    return service;
  }

  /** The bound HTTP port. */
  get port(): number {
    if (this.portValue === undefined) throw new Error(`${this.app} is not listening yet`);
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
      throw new Error(`${this.app} exited (${this.child.exitCode ?? this.child.signalCode}): ${this.stderr.slice(-1000)}`);
    }
    return true;
  }

  private onLine(text: string): void {
    if (!text.startsWith('{')) return;
    try {
      const line = JSON.parse(text) as LogLine;
      this.logs.push(line);
      if (this.portValue === undefined && /listening$/.test(line.msg) && typeof line['port'] === 'number' && line['port'] > 0) this.portValue = line['port'];
    } catch {
      // not a log line
    }
  }
}
