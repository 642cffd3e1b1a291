import { BuiltService, type ProcessExit, type ServiceLogLine } from '../support';

/** The apps an {@link E2eStack} runs. */
export type StackApp = 'alert-service' | 'streaming-gateway' | 'health-monitor' | 'market-simulator';

/** Options of a {@link Replica}. */
export interface ReplicaOptions {
  /** Its app. */
  app: StackApp;
  /** Its name in reports, e.g. `streaming-gateway-2`; also its `INSTANCE_ID` prefix. */
  name: string;
  /** The folder of the app's build (`main.js`). */
  appDir: string;
  /** Its fixed HTTP port: a restart comes back on the same one, behind the same balancer. */
  port: number;
  /** Its environment (Redis, auth, tuning). */
  env: Record<string, string>;
}

/**
 * One replica of a service that can be stopped, killed and started again. Each start is a new
 * process (an *incarnation*) with a new `INSTANCE_ID` (`<name>-<n>`), as a restarted pod
 * gets a new name; every incarnation's logs are kept for the checks that read them.
 */
export class Replica {
  /** Every process this replica ran, oldest first. */
  readonly incarnations: BuiltService[] = [];
  private current: BuiltService | undefined;

  constructor(private readonly options: ReplicaOptions) {}

  /** Its app. */
  get app(): StackApp {
    return this.options.app;
  }

  /** Its name, e.g. `alert-service-1`. */
  get name(): string {
    return this.options.name;
  }

  /** Its HTTP port. */
  get port(): number {
    return this.options.port;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Whether a process of it is running. */
  get running(): boolean {
    return this.current !== undefined;
  }

  /** The `INSTANCE_ID` of the running (or last) process. */
  get instanceId(): string {
    return `${this.options.name}-${this.incarnations.length}`;
  }

  /** Starts a new process and resolves once it answers `/readyz` with 200. */
  async start(readyTimeoutMs = 60_000): Promise<void> {
    if (this.current !== undefined) throw new Error(`${this.name} is already running`);
    const instance = `${this.options.name}-${this.incarnations.length + 1}`;
    const service = await BuiltService.start({
      app: this.options.app,
      appDir: this.options.appDir,
      env: { ...this.options.env, PORT: String(this.options.port), INSTANCE_ID: instance },
      readyTimeoutMs,
    });
    this.incarnations.push(service);
    this.current = service;
    void service.exited.then(() => {
      if (this.current === service) this.current = undefined;
    });
  }

  /** SIGTERM, the graceful stop; resolves with how it ended. */
  async stop(): Promise<ProcessExit | undefined> {
    const service = this.current;
    if (service === undefined) return undefined;
    const exit = await service.stop();
    this.current = undefined;
    return exit;
  }

  /** SIGKILL: a crash; resolves with how it ended. */
  async kill(): Promise<ProcessExit | undefined> {
    const service = this.current;
    if (service === undefined) return undefined;
    const exit = await service.kill();
    this.current = undefined;
    return exit;
  }

  /** Every log line of every incarnation, with the incarnation's instance id. */
  logLines(): Array<{ instance: string; line: ServiceLogLine }> {
    return this.incarnations.flatMap((service, index) =>
      service.logs.map((line) => ({ instance: `${this.options.name}-${index + 1}`, line })),
    );
  }

  /** Everything every incarnation printed (stdout and stderr), for scanning. */
  outputText(): string {
    return this.incarnations.map((service) => service.output.text).join('\n');
  }
}
