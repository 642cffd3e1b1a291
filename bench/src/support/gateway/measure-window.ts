import type Redis from 'ioredis';
import type { BenchProcess } from './bench-process';
import { LatencyHistogram } from './latency-histogram';
import { nowUs } from './monotonic-clock';
import { machineCpu, processCpuSeconds } from './proc-stats';

/** Timing of a measured window. */
export interface WindowSettings {
  /** Seconds published before a window (JIT, buffers). */
  readonly warmupSeconds: number;
  /** Seconds of a measured window. */
  readonly windowSeconds: number;
  /** Milliseconds the load generators keep counting after a window (late deliveries). */
  readonly drainMs: number;
}

/** One side at one client count (one or several windows summed). */
export interface LoadResult {
  readonly clients: number;
  /** Measured windows summed into this result. */
  readonly windows: number;
  /** Deliveries received inside the windows, per second. */
  readonly deliveriesPerSecond: number;
  /** Median over the windows of each window's median latency, ms. */
  readonly p50Ms: number;
  /** Median over the windows of each window's 99th percentile latency, ms. */
  readonly p99Ms: number;
  /** Median over the windows of the server process CPU seconds (user + system) per million deliveries. */
  readonly cpuPerMillion: number;
  /** Server CPU seconds per second of the windows (1 = one core). */
  readonly serverCores: number;
  /** Load generators, publisher and Redis, CPU seconds per second of the windows. */
  readonly benchCores: number;
  /** Everything else on the machine (other work), CPU seconds per second of the windows. */
  readonly otherCores: number;
  /** Redis commands per second in the windows (commands run by scripts included). */
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
  /** Median over the windows of Redis CPU seconds (user + system) per million deliveries. */
  readonly redisCpuPerMillion: number;
  /** Redis CPU seconds per second of the windows (1 = one core). */
  readonly redisCores: number;
  /** Connections the server closed during the windows, by code or reason. */
  readonly lost: Record<string, number>;
  /** Size of one delivered frame. */
  readonly frameBytes: number;
  /** Messages the publisher sent per second. */
  readonly publishedPerSecond: number;
  /** Deliveries that arrived after the windows (late). */
  readonly afterWindow: number;
}

/** What one window measured, raw (see {@link summarize}). */
export interface WindowMeasure {
  readonly clients: number;
  readonly seconds: number;
  readonly deliveries: number;
  readonly histogram: LatencyHistogram;
  readonly serverCpu: number;
  readonly benchCpu: number;
  readonly machineBusy: number;
  readonly redisCpu: number;
  /** Commands run, by name. */
  readonly redisCalls: ReadonlyMap<string, number>;
  /** Commands besides stream reads, the publisher's XADDs and the readings, by name. */
  readonly redisOther: ReadonlyMap<string, number>;
  readonly lost: Record<string, number>;
  readonly frameBytes: number;
  readonly published: number;
  readonly publishedSeconds: number;
  readonly afterWindow: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Stream reads: what a server must send Redis to deliver at all. */
const STREAM_READS = new Set(['xreadgroup', 'xread']);

/** Redis readings at one end of a window. */
interface RedisReading {
  readonly cpu: number;
  readonly stats: Map<string, number>;
  readonly added: number;
}

async function redisCpu(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

async function commandStats(redis: Redis): Promise<Map<string, number>> {
  const stats = new Map<string, number>();
  for (const line of (await redis.info('commandstats')).split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match) stats.set(match[1] as string, Number(match[2]));
  }
  return stats;
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

/** Reads Redis CPU, command counts and the published stream's `entries-added` (INFO cpu, INFO commandstats, XINFO STREAM). */
async function readRedis(redis: Redis, publishedKey: string | undefined): Promise<RedisReading> {
  return { cpu: await redisCpu(redis), stats: await commandStats(redis), added: await entriesAdded(redis, publishedKey) };
}

/** Commands between two readings, and those besides stream reads, the publisher's XADDs and the readings themselves. */
function redisDelta(before: RedisReading, after: RedisReading): { calls: Map<string, number>; other: Map<string, number> } {
  const calls = new Map<string, number>();
  for (const [name, n] of after.stats) {
    const delta = n - (before.stats.get(name) ?? 0);
    if (delta > 0) calls.set(name, delta);
  }
  const published = after.added - before.added;
  // The readings themselves: INFO twice (cpu, commandstats) and XINFO STREAM once, at each end
  // (Redis 7 counts subcommands apart: `xinfo|stream`).
  const own: Record<string, number> = { info: 2, xinfo: 1, 'xinfo|stream': 1 };
  const other = new Map<string, number>();
  for (const [name, n] of calls) {
    const left = n - (STREAM_READS.has(name) ? n : 0) - (name === 'xadd' ? published : 0) - (own[name] ?? 0);
    if (left > 0) other.set(name, left);
  }
  return { calls, other };
}

/** The server and bench processes one window watches. */
export interface WindowProcesses {
  /** Server processes (their CPU is summed). */
  readonly servers: readonly number[];
  /** The load generators. */
  readonly clients: readonly BenchProcess[];
  /** The publisher. */
  readonly publisher: BenchProcess;
}

/**
 * One measured window: publishes `rate` per second to `clients` connections (warm-up first),
 * then reads deliveries, latency, the CPU of the servers (summed), of the load generators,
 * publisher and Redis, and what Redis ran.
 */
export async function measureWindow(
  clients: number,
  rate: number,
  settings: WindowSettings,
  processes: WindowProcesses,
  redis: Redis,
  publishedKey: string | undefined,
): Promise<WindowMeasure> {
  const { publisher } = processes;
  publisher.send({ cmd: 'start', rate, maxSeconds: settings.warmupSeconds + settings.windowSeconds + 30 });
  await publisher.next('started', 10_000);
  await sleep(settings.warmupSeconds * 1_000);
  const startUs = nowUs() + 200_000;
  const endUs = startUs + settings.windowSeconds * 1e6;
  for (const p of processes.clients) p.send({ cmd: 'window', startUs, endUs, drainMs: settings.drainMs });
  const benchPids = [...processes.clients.map((p) => p.pid), publisher.pid];
  const cpuOf = (pids: readonly number[]): number => pids.reduce((sum, pid) => sum + processCpuSeconds(pid), 0);

  await sleep((startUs - nowUs()) / 1_000);
  const before = { server: cpuOf(processes.servers), bench: cpuOf(benchPids), redis: await readRedis(redis, publishedKey), machine: machineCpu(), at: nowUs() };
  await sleep((endUs - nowUs()) / 1_000);
  const after = { server: cpuOf(processes.servers), bench: cpuOf(benchPids), redis: await readRedis(redis, publishedKey), machine: machineCpu(), at: nowUs() };
  publisher.send({ cmd: 'stop' });
  const stopped = await publisher.next('stopped', 30_000);
  const reports = await Promise.all(processes.clients.map((p) => p.next('window', 60_000)));

  const histogram = new LatencyHistogram();
  const lost: Record<string, number> = {};
  for (const r of reports) {
    histogram.merge(r.histogram);
    for (const [reason, n] of Object.entries(r.lost)) lost[reason] = (lost[reason] ?? 0) + n;
  }
  const redisCalls = redisDelta(before.redis, after.redis);
  const redisCpuUsed = after.redis.cpu - before.redis.cpu;
  return {
    clients,
    seconds: (after.at - before.at) / 1e6,
    deliveries: reports.reduce((n, r) => n + r.deliveries, 0),
    histogram,
    serverCpu: after.server - before.server,
    benchCpu: after.bench - before.bench + redisCpuUsed,
    machineBusy: after.machine.busy - before.machine.busy,
    redisCpu: redisCpuUsed,
    redisCalls: redisCalls.calls,
    redisOther: redisCalls.other,
    lost,
    frameBytes: Math.max(...reports.map((r) => r.frameBytes)),
    published: stopped.published,
    publishedSeconds: stopped.seconds,
    afterWindow: reports.reduce((n, r) => n + r.afterWindow, 0),
  };
}

/** The median of `values` (the mean of the middle two for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Sums windows of one side at one client count into its result. Latency percentiles and CPU
 * per delivery are the median over the windows (a window the machine's other work stalled does
 * not decide them); rates and counts are over the summed time.
 */
export function summarize(windows: readonly WindowMeasure[]): LoadResult {
  const sum = (pick: (w: WindowMeasure) => number): number => windows.reduce((n, w) => n + pick(w), 0);
  const seconds = sum((w) => w.seconds);
  const deliveries = sum((w) => w.deliveries);
  const serverCpu = sum((w) => w.serverCpu);
  const benchCpu = sum((w) => w.benchCpu);
  const redisCpu = sum((w) => w.redisCpu);
  const lost: Record<string, number> = {};
  const calls = new Map<string, number>();
  const other = new Map<string, number>();
  for (const w of windows) {
    for (const [reason, n] of Object.entries(w.lost)) lost[reason] = (lost[reason] ?? 0) + n;
    for (const [name, n] of w.redisCalls) calls.set(name, (calls.get(name) ?? 0) + n);
    for (const [name, n] of w.redisOther) other.set(name, (other.get(name) ?? 0) + n);
  }
  const perSecond = (counts: ReadonlyMap<string, number>) => [...counts].map(([name, n]) => [name, n / seconds] as const).sort((a, b) => b[1] - a[1]);
  const commands = perSecond(calls);
  const others = perSecond(other);
  return {
    clients: windows[0]?.clients ?? 0,
    windows: windows.length,
    deliveriesPerSecond: deliveries / seconds,
    p50Ms: median(windows.map((w) => w.histogram.percentile(50))) / 1_000,
    p99Ms: median(windows.map((w) => w.histogram.percentile(99))) / 1_000,
    cpuPerMillion: median(windows.map((w) => (w.deliveries > 0 ? (w.serverCpu / w.deliveries) * 1e6 : NaN))),
    serverCores: serverCpu / seconds,
    benchCores: benchCpu / seconds,
    otherCores: Math.max(0, sum((w) => w.machineBusy) - serverCpu - benchCpu) / seconds,
    redisCallsPerSecond: commands.reduce((n, [, c]) => n + c, 0),
    redisCommands: commands,
    redisOtherPerSecond: others.reduce((n, [, c]) => n + c, 0),
    redisOther: others,
    redisCpuPerMillion: median(windows.map((w) => (w.deliveries > 0 ? (w.redisCpu / w.deliveries) * 1e6 : NaN))),
    redisCores: redisCpu / seconds,
    lost,
    frameBytes: Math.max(...windows.map((w) => w.frameBytes)),
    publishedPerSecond: sum((w) => w.published) / sum((w) => w.publishedSeconds),
    afterWindow: sum((w) => w.afterWindow),
  };
}
