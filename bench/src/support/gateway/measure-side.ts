import type Redis from 'ioredis';
import type { BenchProcess, ProcessGroup } from './bench-process';
import { LatencyHistogram } from './latency-histogram';
import { machineCpu, processCpuSeconds, processRssBytes } from './proc-stats';
import { nowUs } from './monotonic-clock';
import { BENCH_JWT_SECRET, PEER_STREAM_KEY, type Side } from './sides';

/** Settings of one benchmark run. */
export interface RunSettings {
  /** Load runs in the order they run (most clients first: connections are closed down between runs). */
  readonly loads: readonly LoadSettings[];
  /** Idle connections of the memory measurement. */
  readonly idleConnections: number;
  /** Seconds published before a window (JIT, buffers). */
  readonly warmupSeconds: number;
  /** Seconds of a measured window. */
  readonly windowSeconds: number;
  /** Load generator processes (connections are split evenly). */
  readonly clientProcesses: number;
  /** Connections each load generator opens at a time. */
  readonly connectConcurrency: number;
  /** Connections opened, fed and closed once before the memory baseline. */
  readonly warmupConnections: number;
  /** Seconds to let the server settle before an RSS reading. */
  readonly settleSeconds: number;
  /** Milliseconds the load generators keep counting after a window (late deliveries). */
  readonly drainMs: number;
}

/** One load run: connections, and messages published per second to all of them. */
export interface LoadSettings {
  readonly clients: number;
  readonly rate: number;
}

/** One side at one client count. */
export interface LoadResult {
  readonly clients: number;
  /** Deliveries received inside the window, per second. */
  readonly deliveriesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server process CPU seconds (user + system) per million deliveries. */
  readonly cpuPerMillion: number;
  /** Server CPU seconds per second of the window (1 = one core). */
  readonly serverCores: number;
  /** Load generators, publisher and Redis, CPU seconds per second of the window. */
  readonly benchCores: number;
  /** Everything else on the machine (other work), CPU seconds per second of the window. */
  readonly otherCores: number;
  /** Redis commands per second in the window (commands run by scripts included). */
  readonly redisCallsPerSecond: number;
  /** Commands per second by name, busiest first (from INFO commandstats). */
  readonly redisCommands: ReadonlyArray<readonly [string, number]>;
  /**
   * Commands per second besides the stream reads (XREADGROUP, XREAD), the publisher's XADDs
   * (the published stream's `entries-added`) and the benchmark's own INFO and XINFO: what the
   * server costs Redis beyond reading what it delivers.
   */
  readonly redisOtherPerSecond: number;
  /** Those commands by name, busiest first. */
  readonly redisOther: ReadonlyArray<readonly [string, number]>;
  /** Redis CPU seconds (user + system) per million deliveries. */
  readonly redisCpuPerMillion: number;
  /** Redis CPU seconds per second of the window (1 = one core). */
  readonly redisCores: number;
  /** Connections the server closed during the run, by code or reason. */
  readonly lost: Record<string, number>;
  /** Size of one delivered frame. */
  readonly frameBytes: number;
  /** Messages the publisher sent per second over its whole run. */
  readonly publishedPerSecond: number;
  /** Deliveries that arrived after the window (late). */
  readonly afterWindow: number;
}

/** One side's idle-connection memory. */
export interface MemoryResult {
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  readonly connections: number;
  readonly failed: number;
  readonly connectSeconds: number;
  /** Server CPU seconds per second while the connections sat idle, after the settle time. */
  readonly idleCores: number;
  readonly firstError?: string;
}

/** Everything measured for one side. */
export interface SideResult {
  readonly side: Side;
  readonly memory: MemoryResult;
  readonly loads: readonly LoadResult[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** `entries-added` of a stream (0 when it does not exist): XADDs to it so far. */
async function entriesAdded(redis: Redis, key: string | undefined): Promise<number> {
  if (key === undefined) return 0;
  try {
    const reply = (await redis.xinfo('STREAM', key)) as unknown[];
    const at = reply.indexOf('entries-added');
    return at >= 0 ? Number(reply[at + 1]) : 0;
  } catch {
    return 0;
  }
}

/** Asks a server process for a full garbage collection (see `gateway-host.cjs`) and waits for it. */
export async function collectGarbage(server: BenchProcess): Promise<void> {
  server.send({ cmd: 'gc' });
  await server.next('collected', 30_000);
}

/** Stream reads: what a server must send Redis to deliver at all. */
const STREAM_READS = new Set(['xreadgroup', 'xread']);

/** Redis readings around a measured window. */
export interface RedisWindow {
  readonly cpu: number;
  readonly stats: Map<string, number>;
  readonly added: number;
}

/** Reads Redis CPU, command counts and the published stream's `entries-added` (1 INFO cpu, 1 INFO commandstats, 1 XINFO). */
export async function readRedis(redis: Redis, publishedKey: string | undefined): Promise<RedisWindow> {
  return { cpu: await redisCpu(redis), stats: await commandStats(redis), added: await entriesAdded(redis, publishedKey) };
}

/** What Redis did between two readings: every command per second, and those besides stream reads, the publisher's XADDs and these readings. */
export function redisDelta(before: RedisWindow, after: RedisWindow, seconds: number): {
  calls: Array<readonly [string, number]>;
  other: Array<readonly [string, number]>;
  cpu: number;
} {
  const counts = [...after.stats].map(([name, n]) => [name, n - (before.stats.get(name) ?? 0)] as const).filter(([, n]) => n > 0);
  const published = after.added - before.added;
  // The readings themselves: INFO twice (cpu, commandstats) and XINFO once, at each end.
  const own: Record<string, number> = { info: 2, xinfo: 1 };
  const other = counts
    .map(([name, n]) => [name, n - (STREAM_READS.has(name) ? n : 0) - (name === 'xadd' ? published : 0) - (own[name] ?? 0)] as const)
    .filter(([, n]) => n > 0);
  const perSecond = (list: ReadonlyArray<readonly [string, number]>) => list.map(([name, n]) => [name, n / seconds] as const).sort((a, b) => b[1] - a[1]);
  return { calls: perSecond(counts), other: perSecond(other), cpu: after.cpu - before.cpu };
}

async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const stats = new Map<string, number>();
  for (const line of (await redis.info('commandstats')).split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) stats.set(match[1] as string, Number(match[2]));
  }
  return stats;
}

/** Median of a few RSS readings over a second. */
async function settledRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(processRssBytes(pid));
    await sleep(250);
  }
  return samples.sort((a, b) => a - b)[2] as number;
}

/** The load generators of one side, driven together. */
export class ClientFleet {
  constructor(private readonly processes: readonly BenchProcess[]) {}

  get pids(): number[] {
    return this.processes.map((p) => p.pid);
  }

  /** Opens `count` more connections split over the processes. */
  async connect(count: number, concurrency: number): Promise<{ open: number; failed: number; seconds: number; firstError?: string }> {
    const began = nowUs();
    const shares = this.processes.map((_, i) => Math.floor(count / this.processes.length) + (i < count % this.processes.length ? 1 : 0));
    this.processes.forEach((p, i) => p.send({ cmd: 'connect', count: shares[i], concurrency }));
    const reports = await Promise.all(this.processes.map((p) => p.next('connected', 600_000)));
    const firstError = reports.find((r) => r.firstError !== undefined)?.firstError;
    return {
      open: reports.reduce((n, r) => n + r.open, 0),
      failed: reports.reduce((n, r) => n + r.failed, 0),
      seconds: (nowUs() - began) / 1e6,
      ...(firstError === undefined ? {} : { firstError }),
    };
  }

  /** Closes connections until `keep` remain in all. */
  async closeTo(keep: number): Promise<number> {
    const shares = this.processes.map((_, i) => Math.floor(keep / this.processes.length) + (i < keep % this.processes.length ? 1 : 0));
    this.processes.forEach((p, i) => p.send({ cmd: 'close', keep: shares[i] }));
    const reports = await Promise.all(this.processes.map((p) => p.next('closed', 120_000)));
    return reports.reduce((n, r) => n + r.open, 0);
  }
}

/** Starts one side's server, publisher and load generators, measures it, and stops them all. */
export async function measureSide(side: Side, settings: RunSettings, group: ProcessGroup, redisUrl: string, redis: Redis, log: (line: string) => void): Promise<SideResult> {
  const server = await side.start(group, redisUrl);
  const pid = server.process.pid;
  log(`${side.id}: server running (pid ${pid}), clients connect to ${server.clientUrl}`);
  const publisher = group.start({
    name: `${side.id} publisher`,
    file: `${__dirname}/price-publisher.ts`,
    env: { BENCH_REDIS_URL: redisUrl, BENCH_MODE: side.publisherMode, BENCH_STREAM_KEY: PEER_STREAM_KEY, BENCH_INGEST_URL: server.ingestUrl ?? '' },
  });
  const processes = Array.from({ length: settings.clientProcesses }, (_, i) =>
    group.start({
      name: `${side.id} clients ${i}`,
      file: side.clientsFile,
      env: { BENCH_URL: server.clientUrl, BENCH_JWT_SECRET, BENCH_PROCESS: String(i) },
    }),
  );
  await publisher.next('ready', 60_000);
  await Promise.all(processes.map((p) => p.next('ready', 60_000)));
  const fleet = new ClientFleet(processes);

  const publishFor = async (seconds: number, rate: number): Promise<void> => {
    publisher.send({ cmd: 'start', rate, maxSeconds: seconds });
    await publisher.next('started', 10_000);
    await publisher.next('stopped', (seconds + 30) * 1_000);
  };

  // Warm-up, then the memory baseline with no connection.
  await fleet.connect(settings.warmupConnections, settings.connectConcurrency);
  await publishFor(settings.warmupSeconds, Math.max(...settings.loads.map((run) => run.rate)));
  await fleet.closeTo(0);
  const memory = await measureMemory(side, settings, server.process, fleet, log);
  const publishedKey = side.publisherMode === 'stream' ? 'market_data' : side.publisherMode === 'socketio' ? PEER_STREAM_KEY : undefined;

  const loads: LoadResult[] = [];
  for (const run of settings.loads) {
    const open = await fleet.closeTo(run.clients);
    log(`${side.id}: ${open.toLocaleString('en-US')} clients, ${run.rate} messages/s: warming up ${settings.warmupSeconds} s, measuring ${settings.windowSeconds} s`);
    loads.push(await loadRun(open, run.rate, settings, [pid], fleet, processes, publisher, redis, publishedKey));
    const last = loads[loads.length - 1] as LoadResult;
    log(
      `${side.id}: ${open.toLocaleString('en-US')} clients: ${Math.round(last.deliveriesPerSecond).toLocaleString('en-US')} deliveries/s, p50 ${last.p50Ms.toFixed(2)} ms, p99 ${last.p99Ms.toFixed(2)} ms, ` +
        `${last.cpuPerMillion.toFixed(2)} CPU s per 1M deliveries, lost ${JSON.stringify(last.lost)}`,
    );
  }

  for (const p of processes) p.send({ cmd: 'exit' });
  await Promise.all(processes.map((p) => p.stop(15_000)));
  await publisher.stop();
  await server.process.stop();
  return { side, memory, loads };
}

async function measureMemory(side: Side, settings: RunSettings, server: BenchProcess, fleet: ClientFleet, log: (line: string) => void): Promise<MemoryResult> {
  const pid = server.pid;
  await sleep(settings.settleSeconds * 1_000);
  await collectGarbage(server);
  const rssBeforeBytes = await settledRss(pid);
  log(`${side.id}: RSS with no connection ${(rssBeforeBytes / 2 ** 20).toFixed(1)} MiB; opening ${settings.idleConnections.toLocaleString('en-US')} idle connections`);
  const opened = await fleet.connect(settings.idleConnections, settings.connectConcurrency);
  await sleep(settings.settleSeconds * 1_000);
  // Idle CPU from after the settle time over the garbage collection, the RSS readings and 2 s more.
  const idleFrom = { cpu: processCpuSeconds(pid), at: nowUs() };
  await collectGarbage(server);
  const rssAfterBytes = await settledRss(pid);
  await sleep(2_000);
  const idleCores = (processCpuSeconds(pid) - idleFrom.cpu) / ((nowUs() - idleFrom.at) / 1e6);
  log(
    `${side.id}: ${opened.open.toLocaleString('en-US')} idle connections in ${opened.seconds.toFixed(1)} s (${opened.failed} failed${opened.firstError ? `: ${opened.firstError}` : ''}), RSS ${(rssAfterBytes / 2 ** 20).toFixed(1)} MiB`,
  );
  return {
    rssBeforeBytes,
    rssAfterBytes,
    connections: opened.open,
    failed: opened.failed,
    connectSeconds: opened.seconds,
    idleCores,
    ...(opened.firstError ? { firstError: opened.firstError } : {}),
  };
}

/**
 * One measured window: publishes `rate` per second to `clients` connections (warm-up first),
 * then reads deliveries, latency, the CPU of the servers (`serverPids`, summed), of the load
 * generators, publisher and Redis, and what Redis ran.
 */
export async function loadRun(
  clients: number,
  rate: number,
  settings: Pick<RunSettings, 'warmupSeconds' | 'windowSeconds' | 'drainMs'>,
  serverPids: readonly number[],
  fleet: ClientFleet,
  processes: readonly BenchProcess[],
  publisher: BenchProcess,
  redis: Redis,
  publishedKey: string | undefined,
): Promise<LoadResult> {
  const drainMs = settings.drainMs;
  publisher.send({ cmd: 'start', rate, maxSeconds: settings.warmupSeconds + settings.windowSeconds + 30 });
  await publisher.next('started', 10_000);
  await sleep(settings.warmupSeconds * 1_000);
  const startUs = nowUs() + 200_000;
  const endUs = startUs + settings.windowSeconds * 1e6;
  for (const p of processes) p.send({ cmd: 'window', startUs, endUs, drainMs });
  const benchPids = [...fleet.pids, publisher.pid];

  await sleep((startUs - nowUs()) / 1_000);
  const serverCpuNow = (): number => serverPids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  const before = { server: serverCpuNow(), bench: benchPids.reduce((s, p) => s + processCpuSeconds(p), 0), redis: await readRedis(redis, publishedKey), machine: machineCpu(), at: nowUs() };
  await sleep((endUs - nowUs()) / 1_000);
  const after = { server: serverCpuNow(), bench: benchPids.reduce((s, p) => s + processCpuSeconds(p), 0), redis: await readRedis(redis, publishedKey), machine: machineCpu(), at: nowUs() };
  publisher.send({ cmd: 'stop' });
  const stopped = await publisher.next('stopped', 30_000);
  const reports = await Promise.all(processes.map((p) => p.next('window', 60_000)));

  const seconds = (after.at - before.at) / 1e6;
  const histogram = new LatencyHistogram();
  const lost: Record<string, number> = {};
  for (const r of reports) {
    histogram.merge(r.histogram);
    for (const [reason, n] of Object.entries(r.lost)) lost[reason] = (lost[reason] ?? 0) + n;
  }
  const deliveries = reports.reduce((n, r) => n + r.deliveries, 0);
  const serverCpu = after.server - before.server;
  const redisUse = redisDelta(before.redis, after.redis, seconds);
  const benchCpu = after.bench - before.bench + redisUse.cpu;
  const machineBusy = after.machine.busy - before.machine.busy;
  return {
    clients,
    deliveriesPerSecond: deliveries / settings.windowSeconds,
    p50Ms: histogram.percentile(50) / 1_000,
    p99Ms: histogram.percentile(99) / 1_000,
    cpuPerMillion: deliveries > 0 ? (serverCpu / deliveries) * 1e6 : NaN,
    serverCores: serverCpu / seconds,
    benchCores: benchCpu / seconds,
    otherCores: Math.max(0, machineBusy - serverCpu - benchCpu) / seconds,
    redisCallsPerSecond: redisUse.calls.reduce((n, [, c]) => n + c, 0),
    redisCommands: redisUse.calls,
    redisOtherPerSecond: redisUse.other.reduce((n, [, c]) => n + c, 0),
    redisOther: redisUse.other,
    redisCpuPerMillion: deliveries > 0 ? (redisUse.cpu / deliveries) * 1e6 : NaN,
    redisCores: redisUse.cpu / seconds,
    lost,
    frameBytes: Math.max(...reports.map((r) => r.frameBytes)),
    publishedPerSecond: stopped.published / stopped.seconds,
    afterWindow: reports.reduce((n, r) => n + r.afterWindow, 0),
  };
}
