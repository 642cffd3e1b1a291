import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, generateTestCertificates, RedisServerProcess } from '@rebal/redis-testing';
import { REPO_ROOT } from './repo-root';

const run = promisify(execFile);

/** The least-privilege users `scripts/redis-acl.sh` creates (docs/operations.md section 2). */
export const REDIS_ACL_USERS = ['rebal-alert-service', 'rebal-gateway', 'rebal-health-monitor', 'rebal-app', 'rebal-doctor', 'rebal-producer'] as const;

/** One of {@link REDIS_ACL_USERS}. */
export type RedisAclUser = (typeof REDIS_ACL_USERS)[number];

/** The environment variable of each user's password in `scripts/redis-acl.sh`. */
const PASSWORD_VARIABLE: Record<RedisAclUser, string> = {
  'rebal-alert-service': 'ALERT_PW',
  'rebal-gateway': 'GATEWAY_PW',
  'rebal-health-monitor': 'HEALTH_PW',
  'rebal-app': 'APP_PW',
  'rebal-doctor': 'DOCTOR_PW',
  'rebal-producer': 'PRODUCER_PW',
};

/** Options of {@link SecureRedis.start}. */
export interface SecureRedisOptions {
  /** `appendfsync` (default `everysec`, the production setting of docs/operations.md). */
  appendfsync?: 'always' | 'everysec';
  /** Extra `redis-server` arguments (default none). */
  args?: string[];
}

/** One entry of `ACL LOG`: a command Redis refused to a user. */
export interface AclLogEntry {
  readonly username: string;
  readonly reason: string;
  readonly object: string;
  readonly context: string;
  readonly count: number;
}

/**
 * A production-shaped Redis for end-to-end tests: one `redis-server` on 127.0.0.1 that serves
 * TLS only (a CA and certificate made for the run), AOF on, and the least-privilege users of
 * `scripts/redis-acl.sh` (run for real, then `ACL SAVE` to an `aclfile`, so they survive a
 * restart). The `default` user is the admin, with its own password. It can be killed,
 * paused and restarted from its AOF on the same port, as the fault tests need.
 */
export class SecureRedis {
  /** The admin's password (the `default` user). Never log it. */
  readonly adminPassword = randomBytes(16).toString('hex');
  private readonly passwords = new Map<RedisAclUser, string>(REDIS_ACL_USERS.map((user) => [user, randomBytes(16).toString('hex')]));
  private paused = false;

  private constructor(
    /** The TLS port on 127.0.0.1. */
    readonly port: number,
    /** Its data directory (AOF, aclfile, certificates). */
    readonly dir: string,
    /** PEM file of the CA that signed the server certificate: `REDIS_TLS_CA_FILE`. */
    readonly caFile: string,
    private readonly server: RedisServerProcess,
  ) {}

  /** Starts the server, creates the users with `scripts/redis-acl.sh` and saves them. */
  static async start(options: SecureRedisOptions = {}): Promise<SecureRedis> {
    const dir = mkdtempSync(join(tmpdir(), 'rebal-e2e-redis-'));
    try {
      const certificates = await generateTestCertificates({ dir, hosts: ['127.0.0.1', 'localhost'] });
      const port = await freePort();
      const aclFile = join(dir, 'users.acl');
      const server = new RedisServerProcess({
        port,
        dir,
        tls: { certFile: certificates.certFile, keyFile: certificates.keyFile, caFile: certificates.caFile },
        config: `aclfile ${aclFile}`,
        args: ['--appendonly', 'yes', '--appendfsync', options.appendfsync ?? 'everysec', '--maxmemory-policy', 'noeviction', ...(options.args ?? [])],
      });
      const redis = new SecureRedis(port, dir, certificates.caFile, server);
      const adminHash = createHash('sha256').update(redis.adminPassword).digest('hex');
      writeFileSync(aclFile, `user default on #${adminHash} ~* &* +@all\n`, { mode: 0o600 });
      await server.start();
      await redis.createUsers();
      return redis;
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** PID of the running server, if any. */
  get pid(): number | undefined {
    return this.server.pid;
  }

  /** The server's recent output, for failure messages. */
  get log(): string {
    return this.server.log;
  }

  /** The password of a user. Never log it. */
  password(user: RedisAclUser): string {
    return this.passwords.get(user) as string;
  }

  /** `rediss://<user>:<password>@127.0.0.1:<port>/0`; `default` is the admin. */
  url(user: RedisAclUser | 'default'): string {
    const password = user === 'default' ? this.adminPassword : this.password(user);
    return `rediss://${user}:${password}@127.0.0.1:${this.port}/0`;
  }

  /** The Redis variables of a service running as `user`: `REDIS_URL` and `REDIS_TLS_CA_FILE`. */
  env(user: RedisAclUser | 'default'): Record<string, string> {
    return { REDIS_URL: this.url(user), REDIS_TLS_CA_FILE: this.caFile };
  }

  /** Every secret of this server (admin and user passwords), for scanning logs. */
  secrets(): string[] {
    return [this.adminPassword, ...this.passwords.values()];
  }

  /** Runs `redis-cli` as the admin over TLS; resolves with its output. */
  async cli(...args: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', this.cliArgs(args), { env: this.cliEnv(), timeout: 10_000 });
    return stdout.trim();
  }

  /** The refusals Redis logged since the last {@link resetAclLog} (the newest 1,000). */
  async aclLog(): Promise<AclLogEntry[]> {
    const { stdout } = await run('redis-cli', this.cliArgs(['--json', 'ACL', 'LOG', '1000']), { env: this.cliEnv(), timeout: 10_000 });
    const entries = JSON.parse(stdout) as Array<Record<string, unknown>>;
    return entries.map((entry) => ({
      username: String(entry['username']),
      reason: String(entry['reason']),
      object: String(entry['object']),
      context: String(entry['context']),
      count: Number(entry['count']),
    }));
  }

  /** Empties `ACL LOG`. */
  async resetAclLog(): Promise<void> {
    await this.cli('ACL', 'LOG', 'RESET');
  }

  /** SIGKILL: a crash, nothing flushed beyond what the AOF already has. */
  kill(): Promise<void> {
    this.paused = false;
    return this.server.kill();
  }

  /** Starts it again on the same port, from its AOF and aclfile. */
  start(): Promise<void> {
    return this.server.start();
  }

  /** SIGSTOP: the process freezes, its sockets stay open and nothing answers. */
  pause(): void {
    const pid = this.server.pid;
    if (pid === undefined) throw new Error('redis-server is not running');
    process.kill(pid, 'SIGSTOP');
    this.paused = true;
  }

  /** SIGCONT after {@link pause}. */
  resume(): void {
    const pid = this.server.pid;
    if (pid !== undefined && this.paused) process.kill(pid, 'SIGCONT');
    this.paused = false;
  }

  /** Stops the server (resuming it first if paused) and removes its directory. Safe to call twice. */
  async dispose(): Promise<void> {
    this.resume();
    await this.server.dispose();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async createUsers(): Promise<void> {
    const passwords = Object.fromEntries(REDIS_ACL_USERS.map((user) => [PASSWORD_VARIABLE[user], this.password(user)]));
    try {
      await run('bash', [join(REPO_ROOT, 'scripts/redis-acl.sh')], {
        env: { ...this.cliEnv(), ...passwords, REDISCLI: ['redis-cli', ...this.cliArgs([])].join(' ') },
        timeout: 30_000,
      });
    } catch (error) {
      const failure = error as { stderr?: string; message: string };
      throw new Error(`scripts/redis-acl.sh failed: ${failure.stderr?.trim() || failure.message}`);
    }
    const saved = await this.cli('ACL', 'SAVE');
    if (saved !== 'OK') throw new Error(`ACL SAVE answered ${saved}`);
  }

  private cliArgs(args: string[]): string[] {
    return ['--tls', '--cacert', this.caFile, '-h', '127.0.0.1', '-p', String(this.port), '--user', 'default', '--no-auth-warning', ...args];
  }

  private cliEnv(): NodeJS.ProcessEnv {
    return { PATH: process.env['PATH'] ?? '', REDISCLI_AUTH: this.adminPassword };
  }
}
