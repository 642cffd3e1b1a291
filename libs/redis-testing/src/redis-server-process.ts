import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options for one `redis-server` process started by the harness. */
export interface RedisServerProcessOptions {
  /** TCP port; the caller picks a free one. With TLS this is the TLS port and plain TCP is off. */
  port: number;
  /** Extra `--name value` arguments, e.g. `['--appendonly', 'yes']`. */
  args?: string[];
  /** Working directory for AOF/RDB files; a new temporary directory when omitted. */
  dir?: string;
  /** How long to wait for "Ready to accept connections" (default 15 s). */
  readyTimeoutMs?: number;
  /** `redis-server` binary (default: `REDIS_SERVER_BIN` or `redis-server` from PATH). */
  binary?: string;
  /** Serve TLS on `port` instead of plain TCP. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every process still running when the test process exits, whatever the reason. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/**
 * One `redis-server` child process on 127.0.0.1, with its data in a directory it owns.
 * `stop()` shuts it down (SIGTERM, then SIGKILL after 5 s); `restart()` starts it again on
 * the same port and directory so AOF data survives, as a real restart would.
 */
export class RedisServerProcess {
  readonly port: number;
  readonly dir: string;
  private readonly ownsDir: boolean;
  private child: ChildProcess | undefined;
  private output = '';

  constructor(private readonly options: RedisServerProcessOptions) {
    this.port = options.port;
    this.ownsDir = !options.dir;
    this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'rebal-redis-'));
  }

  /** PID of the running process, if any. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** What the server printed so far (its log), for diagnosing a failed start. */
  get log(): string {
    return this.output;
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.child) throw new Error(`redis-server on port ${this.port} is already running`);
    installExitHook();
    const binary = this.options.binary ?? process.env['REDIS_SERVER_BIN'] ?? 'redis-server';
    const tls = this.options.tls;
    const args = [
      '--bind', '127.0.0.1',
      '--dir', this.dir,
      '--save', '',
      '--appendonly', 'no',
      '--protected-mode', 'no',
      '--logfile', '',
      '--daemonize', 'no',
      ...(tls
        ? ['--port', '0', '--tls-port', String(this.port), '--tls-cert-file', tls.certFile,
           '--tls-key-file', tls.keyFile, '--tls-ca-cert-file', tls.caFile, '--tls-auth-clients', 'no']
        : ['--port', String(this.port)]),
      ...(this.options.args ?? []),
    ];
    this.output = '';
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    live.add(child);
    child.once('exit', () => {
      live.delete(child);
      if (this.child === child) this.child = undefined;
    });
    await new Promise<void>((resolve, reject) => {
      const timeoutMs = this.options.readyTimeoutMs ?? 15_000;
      const timer = setTimeout(() => fail(new Error(`redis-server on port ${this.port} not ready after ${timeoutMs} ms`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (this.output.includes('Ready to accept connections')) done();
      };
      const onError = (error: Error) =>
        fail(new Error(`cannot run ${binary} (install redis-server 7 or set REDIS_SERVER_BIN): ${error.message}`));
      const onExit = (code: number | null) => fail(new Error(`redis-server exited with code ${code} before it was ready`));
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('error', onError);
        child.off('exit', onExit);
        // Keep draining the pipes so the server never blocks on a full stdout.
        child.stdout?.resume();
        child.stderr?.resume();
      };
      const done = () => {
        cleanup();
        resolve();
      };
      const fail = (error: Error) => {
        cleanup();
        child.kill('SIGKILL');
        reject(new Error(`${error.message}\n${this.output.slice(-2000)}`));
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
      child.once('error', onError);
      child.once('exit', onExit);
    });
  }

  /** Stops the server: SIGTERM (it writes its AOF and exits), SIGKILL if it lingers. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill(signal);
    });
  }

  /** Kills the server at once (no shutdown), as a crash would. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  /** Stops and starts again on the same port and data directory. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and removes its temporary directory. Safe to call twice. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
