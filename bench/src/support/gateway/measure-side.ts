import type Redis from 'ioredis';
import type { BenchProcess, ProcessGroup } from './bench-process';
import { measureWindow, summarize, type LoadResult, type WindowMeasure, type WindowSettings } from './measure-window';
import { nowUs } from './monotonic-clock';
import { processCpuSeconds, processRssBytes } from './proc-stats';
import { BENCH_JWT_SECRET, PEER_STREAM_KEY, type Side, type StartedServer } from './sides';

export type { LoadResult } from './measure-window';

/** Settings of one benchmark run. */
export interface RunSettings extends WindowSettings {
  /** Load runs in the order they run (most clients first: connections are closed down between runs). */
  readonly loads: readonly LoadSettings[];
  /** Windows per side and load: the sides take turns, window by window, so the machine's other work falls on all alike. */
  readonly rounds: number;
  /** Idle connections of the memory measurement. */
  readonly idleConnections: number;
  /** Load generator processes (connections are split evenly). */
  readonly clientProcesses: number;
  /** Connections each load generator opens at a time. */
  readonly connectConcurrency: number;
  /** Connections opened, fed and closed once before the memory baseline. */
  readonly warmupConnections: number;
  /** Seconds to let the server settle before an RSS reading. */
  readonly settleSeconds: number;
}

/** One load run: connections, and messages published per second to all of them. */
export interface LoadSettings {
  readonly clients: number;
  readonly rate: number;
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

/** Asks a server process for a full garbage collection (see `gateway-host.cjs`) and waits for it. */
export async function collectGarbage(server: BenchProcess): Promise<void> {
  server.send({ cmd: 'gc' });
  await server.next('collected', 30_000);
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

/** A redis-server of the benchmark and a client of it. */
export interface BenchRedis {
  readonly url: string;
  readonly client: Redis;
}

/** A side with its processes running. */
interface RunningSide {
  readonly side: Side;
  readonly redis: BenchRedis;
  readonly server: StartedServer;
  readonly publisher: BenchProcess;
  readonly clients: readonly BenchProcess[];
  readonly fleet: ClientFleet;
  readonly publishedKey: string | undefined;
  memory?: MemoryResult;
}

/** Starts a side's server, publisher and load generators, and warms the server up. */
async function startSide(side: Side, settings: RunSettings, group: ProcessGroup, redis: BenchRedis, log: (line: string) => void): Promise<RunningSide> {
  const redisUrl = redis.url;
  const server = await side.start(group, redisUrl);
  log(`${side.id}: server running (pid ${server.process.pid}), clients connect to ${server.clientUrl}`);
  const publisher = group.start({
    name: `${side.id} publisher`,
    file: `${__dirname}/price-publisher.ts`,
    env: { BENCH_REDIS_URL: redisUrl, BENCH_MODE: side.publisherMode, BENCH_STREAM_KEY: PEER_STREAM_KEY, BENCH_INGEST_URL: server.ingestUrl ?? '' },
  });
  const clients = Array.from({ length: settings.clientProcesses }, (_, i) =>
    group.start({
      name: `${side.id} clients ${i}`,
      file: side.clientsFile,
      env: { BENCH_URL: server.clientUrl, BENCH_JWT_SECRET, BENCH_PROCESS: String(i) },
    }),
  );
  await publisher.next('ready', 60_000);
  await Promise.all(clients.map((p) => p.next('ready', 60_000)));
  const fleet = new ClientFleet(clients);
  await fleet.connect(settings.warmupConnections, settings.connectConcurrency);
  publisher.send({ cmd: 'start', rate: Math.max(...settings.loads.map((run) => run.rate)), maxSeconds: settings.warmupSeconds });
  await publisher.next('started', 10_000);
  await publisher.next('stopped', (settings.warmupSeconds + 30) * 1_000);
  await fleet.closeTo(0);
  const publishedKey = side.publisherMode === 'stream' ? 'market_data' : side.publisherMode === 'socketio' ? PEER_STREAM_KEY : undefined;
  return { side, redis, server, publisher, clients, fleet, publishedKey };
}

/**
 * Measures every side, each with its own redis-server (from `redisFor`, so what Redis does is
 * each side's own): first, one after the other, each one's memory per idle connection (the
 * others without connections); then, for each load, the sides take turns window by window
 * (`rounds` windows each, the order reversed every other round), all with their connections
 * open, so what else the machine does falls on every side alike; each side's windows are summed.
 * Each server collects its garbage before a load's windows (the connections closed since are gone).
 * Stops every process at the end.
 */
export async function measureSides(
  sides: readonly Side[],
  settings: RunSettings,
  group: ProcessGroup,
  redisFor: (side: Side) => Promise<BenchRedis>,
  log: (line: string) => void,
): Promise<SideResult[]> {
  const running: RunningSide[] = [];
  try {
    for (const side of sides) {
      log(`${side.id}: starting ${side.name}`);
      const started = await startSide(side, settings, group, await redisFor(side), log);
      running.push(started);
      started.memory = await measureMemory(side, settings, started.server.process, started.fleet, log);
      await started.fleet.closeTo(0);
    }
    const windows = new Map<RunningSide, WindowMeasure[][]>(running.map((r) => [r, settings.loads.map(() => [])]));
    for (const [index, run] of settings.loads.entries()) {
      for (const r of running) {
        const open = await r.fleet.closeTo(run.clients);
        if (open < run.clients) await r.fleet.connect(run.clients - open, settings.connectConcurrency);
        // What closing the previous load's connections left behind is not this load's work.
        await collectGarbage(r.server.process);
      }
      for (let round = 0; round < settings.rounds; round++) {
        const order = round % 2 === 0 ? running : [...running].reverse();
        for (const r of order) {
          log(`${r.side.id}: ${run.clients.toLocaleString('en-US')} clients, ${run.rate} messages/s, window ${round + 1} of ${settings.rounds}`);
          const window = await measureWindow(run.clients, run.rate, settings, { servers: [r.server.process.pid], clients: r.clients, publisher: r.publisher }, r.redis.client, r.publishedKey);
          windows.get(r)?.[index]?.push(window);
          log(
            `${r.side.id}: ${Math.round(window.deliveries / window.seconds).toLocaleString('en-US')} deliveries/s, ` +
              `p99 ${(window.histogram.percentile(99) / 1_000).toFixed(1)} ms, ${((window.serverCpu / window.deliveries) * 1e6).toFixed(2)} CPU s per 1M deliveries`,
          );
        }
      }
      // Only the connections of the next, smaller load stay open.
      for (const r of running) await r.fleet.closeTo(settings.loads[index + 1]?.clients ?? 0);
    }
    return running.map((r) => ({ side: r.side, memory: r.memory as MemoryResult, loads: (windows.get(r) ?? []).map((list) => summarize(list)) }));
  } finally {
    for (const r of running) {
      for (const p of r.clients) if (p.running) p.send({ cmd: 'exit' });
      await Promise.all(r.clients.map((p) => p.stop(15_000)));
      await r.publisher.stop();
      await r.server.process.stop();
    }
  }
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
