import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '@rebal/redis-testing';
import { spawnWatchdog } from '@rebal/service-kit';
import type { ProcessExit } from './group-process';
import { OutputLog } from './output-log';
import { REPO_ROOT } from './repo-root';

/** One JSON (pino) log line of a service. */
export interface ServiceLogLine {
  /** pino level: 30 info, 40 warn, 50 error, 60 fatal. */
  readonly level: number;
  /** The message. */
  readonly msg: string;
  /** Any other field. */
  readonly [field: string]: unknown;
}

/** Options of {@link BuiltService.start}. */
export interface BuiltServiceOptions {
  /** The app, e.g. `streaming-gateway`: its name in logs and messages. */
  app: string;
  /** The folder whose `main.js` runs (default `dist/apps/<app>`; build it first with `buildApp`, and consider `snapshotBuild`). */
  appDir?: string;
  /**
   * The service's variables. Only these reach it, plus `PATH`, `HOME`, `HOST=127.0.0.1` and
   * `PORT=0` (the OS picks a free port; it is read from the log) unless given here.
   */
  env: Record<string, string>;
  /** How long to wait for it to listen and then answer `/readyz` with 200 (default 60 s). */
  readyTimeoutMs?: number;
}

/**
 * A built service (`node <appDir>/main.js`, by default `dist/apps/<app>/main.js`) as a real child process, started from the
 * workspace root with exactly the environment given. It is ready once it logged its port
 * (a line whose message ends in `listening`, with a numeric `port`) and `/readyz` answers
 * 200. A watchdog SIGKILLs it should the test process die without stopping it.
 */
export class BuiltService {
  /** Its stdout and stderr. */
  readonly output = new OutputLog();
  /** Parsed JSON log lines, in order. */
  readonly logs: ServiceLogLine[] = [];
  /** Resolves once the process has exited. */
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly dog: ChildProcess | undefined;
  private portValue: number | undefined;

  private constructor(
    /** The `app` option. */
    readonly app: string,
    appDir: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--enable-source-maps', join(appDir, 'main.js')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', HOST: '127.0.0.1', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.dog = this.child.pid === undefined ? undefined : spawnWatchdog(this.child.pid, { name: `${app}-watchdog` });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.dog?.kill('SIGKILL');
        resolve({ code, signal });
      });
      this.child.once('error', (error) => {
        this.output.append(`cannot start: ${error.message}\n`);
        this.dog?.kill('SIGKILL');
        resolve({ code: 127, signal: null });
      });
    });
    let pending = '';
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.output.append(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.onLine(line);
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => this.output.append(chunk));
  }

  /** Starts the service and resolves once it is ready; on failure it is killed and the error carries its output. */
  static async start(options: BuiltServiceOptions): Promise<BuiltService> {
    const service = new BuiltService(options.app, options.appDir ?? join(REPO_ROOT, 'dist/apps', options.app), options.env);
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    // A crash before readiness fails at once instead of at the deadline.
    const died = service.exited.then((exit) => {
      throw new Error(`${options.app} exited (${exit.signal ?? `code ${exit.code}`}) before it was ready`);
    });
    died.catch(() => undefined);
    try {
      await Promise.race([
        died,
        (async () => {
          await waitFor(() => service.portValue, { timeoutMs, intervalMs: 50, message: () => `${options.app} to listen` });
          await waitFor(async () => (await fetch(`${service.url}/readyz`, { signal: AbortSignal.timeout(2_000) })).status === 200, {
            timeoutMs,
            intervalMs: 100,
            message: () => `${options.app} to answer /readyz with 200`,
          });
        })(),
      ]);
    } catch (error) {
      await service.kill();
      throw new Error(`${(error as Error).message}\n--- ${options.app} output ---\n${service.output.tail()}`);
    }
    return service;
  }

  /** Its process id. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The HTTP port it listens on. */
  get port(): number {
    if (this.portValue === undefined) throw new Error(`${this.app} is not listening yet`);
    return this.portValue;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The log lines at warn level or above (40+), as `level msg` text. */
  problems(): string[] {
    return this.logs.filter((line) => line.level >= 40).map((line) => `${line.level} ${line.msg}`);
  }

  /** SIGTERM (the graceful stop every service supports), then SIGKILL after `graceMs` (default 15 s). Resolves with how it ended. */
  async stop(graceMs = 15_000): Promise<ProcessExit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    this.child.kill('SIGTERM');
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  /** SIGKILL: no cleanup at all. Resolves with how it ended. */
  async kill(): Promise<ProcessExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    return this.exited;
  }

  private onLine(text: string): void {
    if (!text.startsWith('{')) return;
    try {
      const line = JSON.parse(text) as ServiceLogLine;
      this.logs.push(line);
      if (this.portValue === undefined && typeof line['port'] === 'number' && line['port'] > 0 && /listening$/.test(line.msg)) this.portValue = line['port'];
    } catch {
      // not a log line
    }
  }
}
