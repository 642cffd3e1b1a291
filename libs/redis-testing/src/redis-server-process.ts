import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { detectRedisTestServer } from './detect-redis-test-server';
import { reapOnExit } from './reap-on-exit';

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
  /** Server binary (default: what `REDIS_TEST_SERVER` names, see `detectRedisTestServer`; `redis-server` when unset). */
  binary?: string;
  /** Serve TLS on `port` instead of plain TCP (PEM files; clients need no certificate). Default: plain TCP. */
  tls?: { certFile: string; keyFile: string; caFile: string };
  /**
   * `redis.conf` text written to `<dir>/redis.conf` and loaded before the other arguments.
   * Secrets (`requirepass`, `user ... >password`) belong here rather than in `args`, where
   * `ps` would show them. Default: no file.
   */
  config?: string;
}

/** How much of the server's log {@link RedisServerProcess.log} keeps (the tail). */
const MAX_LOG_CHARS = 64 * 1024;

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

  /** The tail (64 KiB) of what the server printed since its last start, for diagnosing failures. */
  get log(): string {
    return this.output;
  }

  /** Starts the server and resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.child) throw new Error(`redis-server on port ${this.port} is already running`);
    const { binary, installHint } = this.options.binary === undefined
      ? detectRedisTestServer()
      : { binary: this.options.binary, installHint: 'check the binary option' };
    const name = basename(binary);
    const tls = this.options.tls;
    const configFile = join(this.dir, 'redis.conf');
    if (this.options.config !== undefined) writeFileSync(configFile, `${this.options.config}\n`, { mode: 0o600 });
    const args = [
      ...(this.options.config !== undefined ? [configFile] : []),
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
    const child = spawn(binary, args, { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    reapOnExit(child);
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    const append = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-MAX_LOG_CHARS);
    };
    // Keep draining both pipes for the server's whole life so it never blocks on a full pipe.
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    await new Promise<void>((resolve, reject) => {
      const timeoutMs = this.options.readyTimeoutMs ?? 15_000;
      const timer = setTimeout(() => fail(new Error(`${name} on port ${this.port} not ready after ${timeoutMs} ms`)), timeoutMs);
      const onData = () => {
        if (this.output.includes('Ready to accept connections')) done();
      };
      const onError = (error: Error) =>
        fail(new Error(`cannot run ${binary} (${installHint}): ${error.message}`));
      const onExit = (code: number | null) => fail(new Error(`${name} exited with code ${code} before it was ready`));
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('error', onError);
        child.off('exit', onExit);
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
      child.once('error', onError);
      child.once('exit', onExit);
    });
  }

  /** Stops the server: SIGTERM (it writes its AOF and exits), SIGKILL if it lingers. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
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
