import { join } from 'node:path';
import type Redis from 'ioredis';
import type { ProcessGroup } from './bench-process';
import { ClientFleet, collectGarbage, type RunSettings } from './measure-side';
import { measureWindow, summarize, type LoadResult } from './measure-window';
import { BENCH_JWT_SECRET, PEER_STREAM_KEY, startGateway, type StartedServer } from './sides';

/** Settings of the scale run: several gateway replicas sharing one Redis and many clients. */
export interface ScaleSettings {
  /** Gateway processes, each with its own instance id (its own fan-out groups). */
  readonly replicas: number;
  /**
   * Windows, in order (most clients first: connections are closed down between them). Clients
   * are spread evenly over the replicas (client `i` connects to replica `i mod replicas`); each
   * price update published is delivered to every client.
   */
  readonly loads: ReadonlyArray<{ readonly clients: number; readonly rate: number }>;
}

/** What the scale run measured. */
export interface ScaleResult {
  readonly settings: ScaleSettings;
  /** One window per load, as for every side (server CPU summed over the replicas). */
  readonly loads: readonly LoadResult[];
}

/**
 * The scale run: `replicas` gateways from the build, one Redis, clients spread over them, one
 * publisher. Measures what one Redis does for all of them, for many connections and for many
 * events: commands per second (every one, and those besides the stream reads and the
 * publisher's XADDs) and CPU per delivered and per published event.
 */
export async function measureScale(
  scale: ScaleSettings,
  settings: RunSettings,
  group: ProcessGroup,
  redisUrl: string,
  redis: Redis,
  log: (line: string) => void,
): Promise<ScaleResult> {
  const servers: StartedServer[] = [];
  for (let i = 0; i < scale.replicas; i++) servers.push(await startGateway(group, redisUrl, {}, `bench-replica-${i + 1}`));
  log(`scale: ${scale.replicas} gateways running (pids ${servers.map((server) => server.process.pid).join(', ')})`);
  const publisher = group.start({
    name: 'scale publisher',
    file: join(__dirname, 'price-publisher.ts'),
    env: { BENCH_REDIS_URL: redisUrl, BENCH_MODE: 'stream', BENCH_STREAM_KEY: PEER_STREAM_KEY, BENCH_INGEST_URL: '' },
  });
  const processes = Array.from({ length: settings.clientProcesses }, (_, i) =>
    group.start({
      name: `scale clients ${i}`,
      file: join(__dirname, 'gateway-clients.ts'),
      env: { BENCH_URL: servers.map((server) => server.clientUrl).join(','), BENCH_JWT_SECRET, BENCH_PROCESS: String(i) },
    }),
  );
  await publisher.next('ready', 60_000);
  await Promise.all(processes.map((p) => p.next('ready', 60_000)));
  const fleet = new ClientFleet(processes);
  const loads: LoadResult[] = [];
  for (const run of scale.loads) {
    let open = await fleet.closeTo(run.clients);
    if (open < run.clients) {
      const opened = await fleet.connect(run.clients - open, settings.connectConcurrency);
      open += opened.open;
      log(`scale: ${open.toLocaleString('en-US')} clients (${opened.seconds.toFixed(1)} s, ${opened.failed} failed${opened.firstError ? `: ${opened.firstError}` : ''})`);
    }
    await Promise.all(servers.map((server) => collectGarbage(server.process)));
    const window = await measureWindow(open, run.rate, settings, { servers: servers.map((server) => server.process.pid), clients: processes, publisher }, redis, 'market_data');
    const load = summarize([window]);
    loads.push(load);
    log(
      `scale: ${open.toLocaleString('en-US')} clients at ${run.rate}/s: ${Math.round(load.deliveriesPerSecond).toLocaleString('en-US')} deliveries/s, p99 ${load.p99Ms.toFixed(1)} ms, ` +
        `Redis ${load.redisCallsPerSecond.toFixed(0)} commands/s (${load.redisOtherPerSecond.toFixed(1)} besides reads and XADD), ${load.redisCores.toFixed(3)} cores, lost ${JSON.stringify(load.lost)}`,
    );
  }
  for (const p of processes) p.send({ cmd: 'exit' });
  await Promise.all(processes.map((p) => p.stop(15_000)));
  await publisher.stop();
  await Promise.all(servers.map((server) => server.process.stop()));
  return { settings: scale, loads };
}
