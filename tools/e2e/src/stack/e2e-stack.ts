import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRedisConnection, parseRedisConfig, type RedisConnection } from '@rebal/redis-client';
import { freePort } from '@rebal/redis-testing';
import { buildApp, buildConsole, mintToken, SecureRedis, snapshotBuild, type MintTokenOptions, type RedisAclUser, type SecureRedisOptions } from '../support';
import { LoopbackBalancer } from './loopback-balancer';
import { Replica, type StackApp } from './replica';

/** Options of {@link E2eStack.start}. */
export interface E2eStackOptions {
  /** Alert-service replicas (default 2). */
  alertReplicas?: number;
  /** Streaming-gateway replicas, behind one {@link LoopbackBalancer} (default 2). */
  gatewayReplicas?: number;
  /** Run the health monitor (default true). */
  healthMonitor?: boolean;
  /** Run the market simulator (default true). */
  simulator?: boolean;
  /** Extra environment per app, merged over the stack's (default none). */
  env?: Partial<Record<StackApp, Record<string, string>>>;
  /** Options of the Redis (default: {@link SecureRedis} defaults). */
  redis?: SecureRedisOptions;
  /** Per service, how long it may take to become ready (default 60 s). */
  readyTimeoutMs?: number;
}

/** The Redis user each app runs as (docs/operations.md section 2). */
const REDIS_USER: Record<StackApp, RedisAclUser> = {
  'alert-service': 'rebal-alert-service',
  'streaming-gateway': 'rebal-gateway',
  'health-monitor': 'rebal-health-monitor',
  'market-simulator': 'rebal-producer',
};

/**
 * The whole system as processes on 127.0.0.1, shaped like production: a {@link SecureRedis}
 * (TLS, AOF, a least-privilege ACL user per service), alert-service and gateway replicas
 * (the gateways behind a TCP balancer, serving the console at its address), the health
 * monitor and the market simulator, each from a snapshot of its build. Replicas can be
 * stopped, killed and restarted; the stack keeps every log line for the checks. `stop()` ends
 * everything it started.
 */
export class E2eStack {
  /** The JWT secret the gateway and the alert service share. Never log it. */
  readonly jwtSecret = randomBytes(32).toString('hex');
  /** Every replica, in start order. */
  readonly replicas: Replica[] = [];
  private readonly snapshots: string[] = [];
  private readonly connections: RedisConnection[] = [];
  private balancerValue: LoopbackBalancer | undefined;
  /** The snapshot of the console build the gateways serve. */
  private consoleDir: string | undefined;

  private constructor(
    /** The Redis. */
    readonly redis: SecureRedis,
  ) {}

  /** Builds the apps, starts Redis and every replica, and resolves once all are ready. */
  static async start(options: E2eStackOptions = {}): Promise<E2eStack> {
    const redis = await SecureRedis.start(options.redis);
    const stack = new E2eStack(redis);
    try {
      await stack.bringUp(options);
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** The balancer in front of the gateways. */
  get balancer(): LoopbackBalancer {
    if (this.balancerValue === undefined) throw new Error('the stack has no gateway');
    return this.balancerValue;
  }

  /** `http://127.0.0.1:<balancer port>`: the console the gateways serve, as a browser opens it (append `/?token=...`). */
  get consoleUrl(): string {
    return `http://127.0.0.1:${this.balancer.port}`;
  }

  /** `ws://127.0.0.1:<balancer port>/ws`: the gateways as clients reach them. */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.balancer.port}/ws`;
  }

  /** The replicas of one app. */
  replicasOf(app: StackApp): Replica[] {
    return this.replicas.filter((replica) => replica.app === app);
  }

  /** The replica with this name; throws when there is none. */
  replica(name: string): Replica {
    const found = this.replicas.find((replica) => replica.name === name);
    if (found === undefined) throw new Error(`no replica named ${name} (have ${this.replicas.map((r) => r.name).join(', ')})`);
    return found;
  }

  /** `http://127.0.0.1:<port>/api/v1` of the first running alert-service replica. */
  alertApiUrl(): string {
    const replica = this.replicasOf('alert-service').find((r) => r.running) ?? this.replicasOf('alert-service')[0];
    if (replica === undefined) throw new Error('the stack has no alert service');
    return `${replica.url}/api/v1`;
  }

  /** A token the gateway and the alert API accept (see {@link mintToken}). */
  token(options: MintTokenOptions = {}): Promise<string> {
    return mintToken(this.jwtSecret, options);
  }

  /** A connection as `user` (default the admin), closed by `stop()`. */
  connect(user: RedisAclUser | 'default' = 'default'): RedisConnection {
    const connection = createRedisConnection(parseRedisConfig(this.redis.env(user)).main, { name: `e2e-${user}` });
    this.connections.push(connection);
    return connection;
  }

  /** The running replicas that do not answer `/readyz` with 200 within a second, by name. */
  async notReady(): Promise<string[]> {
    const running = this.replicas.filter((replica) => replica.running);
    const ready = await Promise.all(
      running.map((replica) => fetch(`${replica.url}/readyz`, { signal: AbortSignal.timeout(1_000) }).then((res) => res.status === 200, () => false)),
    );
    return running.filter((_, index) => !ready[index]).map((replica) => replica.name);
  }

  /** Everything the run's processes printed: every incarnation of every replica, and Redis. */
  outputs(): Array<{ source: string; text: string }> {
    return [...this.replicas.map((replica) => ({ source: replica.name, text: replica.outputText() })), { source: 'redis', text: this.redis.log }];
  }

  /** Every secret of the run: the JWT secret and every Redis password. */
  secrets(): string[] {
    return [this.jwtSecret, ...this.redis.secrets()];
  }

  /** Stops every replica (SIGTERM), the balancer and Redis, and removes the build snapshots. Safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((replica) => replica.stop()));
    for (const connection of this.connections.splice(0)) connection.disconnect();
    await this.balancerValue?.close();
    await this.redis.dispose();
    for (const dir of this.snapshots.splice(0)) rmSync(dirname(dir), { recursive: true, force: true });
  }

  private async bringUp(options: E2eStackOptions): Promise<void> {
    const counts: Array<[StackApp, number]> = [
      ['alert-service', options.alertReplicas ?? 2],
      ['streaming-gateway', options.gatewayReplicas ?? 2],
      ['health-monitor', options.healthMonitor === false ? 0 : 1],
      ['market-simulator', options.simulator === false ? 0 : 1],
    ];
    const dirs = new Map<StackApp, string>();
    // One build after the other: each runs esbuild, and CI has 2 cores.
    for (const [app, count] of counts) {
      if (count === 0) continue;
      await buildApp(app);
      const dir = snapshotBuild(app);
      this.snapshots.push(dir);
      dirs.set(app, dir);
    }
    // The gateways serve the console: its build, beside theirs.
    if (dirs.has('streaming-gateway')) {
      await buildConsole();
      this.consoleDir = snapshotBuild('console');
      this.snapshots.push(this.consoleDir);
    }
    const ports = new Map<StackApp, number[]>();
    for (const [app, count] of counts) {
      const list: number[] = [];
      for (let index = 0; index < count; index += 1) list.push(await freePort());
      ports.set(app, list);
    }
    const gatewayPorts = ports.get('streaming-gateway') ?? [];
    if (gatewayPorts.length > 0) this.balancerValue = await LoopbackBalancer.start(() => gatewayPorts);
    for (const [app, count] of counts) {
      for (let index = 1; index <= count; index += 1) {
        const appDir = dirs.get(app) as string;
        const port = (ports.get(app) ?? [])[index - 1] as number;
        const env = { ...this.redis.env(REDIS_USER[app]), ...this.appEnv(app, ports), ...options.env?.[app] };
        this.replicas.push(new Replica({ app, name: `${app}-${index}`, appDir, port, env }));
      }
    }
    await Promise.all(this.replicas.map((replica) => replica.start(options.readyTimeoutMs)));
  }

  private appEnv(app: StackApp, ports: ReadonlyMap<StackApp, readonly number[]>): Record<string, string> {
    // The console's page comes from the balancer's origin: the alert API and the health status
    // answer it with CORS, and the gateways tell it where they are (/dashboard-config.json).
    const pageOrigin = this.balancerValue === undefined ? undefined : this.consoleUrl;
    const first = (of: StackApp) => ports.get(of)?.[0];
    switch (app) {
      case 'alert-service':
        return { AUTH_JWT_SECRET: this.jwtSecret, ALERT_SEED: 'false', ...(pageOrigin === undefined ? {} : { CORS_ORIGINS: pageOrigin }) };
      case 'streaming-gateway': {
        const alerts = first('alert-service');
        const health = first('health-monitor');
        return {
          AUTH_JWT_SECRET: this.jwtSecret,
          ...(this.consoleDir === undefined ? {} : { DASHBOARD_DIR: this.consoleDir }),
          ...(alerts === undefined ? {} : { ALERT_API_URL: `http://127.0.0.1:${alerts}/api/v1` }),
          ...(health === undefined ? {} : { HEALTH_API_URL: `http://127.0.0.1:${health}/api/v1` }),
        };
      }
      case 'health-monitor':
        return { HEALTH_EXPECTED_SERVICES: 'alert-service,streaming-gateway', ...(pageOrigin === undefined ? {} : { CORS_ORIGINS: pageOrigin }) };
      case 'market-simulator':
        return {};
    }
  }
}
