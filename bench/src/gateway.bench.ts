// Gateway fan-out: our streaming gateway (a real process from its build,
// dist/apps/streaming-gateway/main.js) beside a socket.io 4 server with
// @socket.io/redis-streams-adapter (the peer) and a bare `ws` broadcast that skips Redis (the
// limit). Each server runs as its own process, fed by a publisher process at a fixed rate
// (through Redis Streams for ours and the peer, straight over a loopback socket for the
// limit); client load generators (separate processes) measure deliveries per second and
// latency from publish to receipt; the server's CPU comes from /proc/<pid>/stat, its memory
// per idle connection from VmRSS, what it costs Redis from INFO commandstats. Then the scale
// run: 3 gateway replicas sharing 15,000 clients and one Redis.
// Results go to docs/benchmarks.md.
//   bash bench/run.sh gateway [--quick]
import { loadavg } from 'node:os';
import Redis from 'ioredis';
import { startRedis } from '@rebal/redis-testing';
import { describeMachine } from './support/machine';
import { writeSection } from './support/report';
import { ProcessGroup } from './support/gateway/bench-process';
import { explanation, fmt, goalsTable, loadTables, memoryTable, scaleTable } from './support/gateway/format-section';
import { measureSides, type RunSettings } from './support/gateway/measure-side';
import { measureScale, type ScaleResult, type ScaleSettings } from './support/gateway/scale-run';
import { ensureGatewayBuild, sides } from './support/gateway/sides';

const quick = process.argv.includes('--quick');
// `--side=gateway|peer|limit|scale` runs one side (or the scale run) only and prints its tables without writing them (for development).
const only = process.argv.find((arg) => arg.startsWith('--side='))?.slice('--side='.length);
// `--gateway-env=NAME=value` (repeatable) changes a gateway setting, e.g. to see what one costs; the section is then not written.
const gatewayOverrides = Object.fromEntries(
  process.argv
    .filter((arg) => arg.startsWith('--gateway-env='))
    .map((arg) => arg.slice('--gateway-env='.length))
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const development = only !== undefined || Object.keys(gatewayOverrides).length > 0;
const SETTINGS: RunSettings = {
  // The same 20,000 deliveries/s offered at both client counts (2,000 with --quick): on this
  // 2-core machine the load generators need more CPU per delivery than the servers, so a
  // higher rate measures the load generators, not the servers.
  loads: quick
    ? [
        { clients: 1_000, rate: 2 },
        { clients: 200, rate: 10 },
      ]
    : [
        { clients: 10_000, rate: 2 },
        { clients: 1_000, rate: 20 },
      ],
  idleConnections: quick ? 2_000 : 15_000,
  warmupSeconds: quick ? 2 : 3,
  windowSeconds: quick ? 4 : 15,
  rounds: quick ? 1 : 3,
  settleSeconds: quick ? 1 : 3,
  drainMs: quick ? 1_000 : 2_000,
  clientProcesses: 2,
  connectConcurrency: 50,
  warmupConnections: quick ? 200 : 500,
};
const SCALE: ScaleSettings = {
  replicas: 3,
  loads: quick
    ? [
        { clients: 3_000, rate: 2 },
        { clients: 30, rate: 200 },
      ]
    : [
        { clients: 15_000, rate: 2 },
        { clients: 30, rate: 1_000 },
      ],
};

const began = Date.now();
function log(line: string): void {
  console.log(`[gateway ${((Date.now() - began) / 1_000).toFixed(0).padStart(3)} s] ${line}`);
}

async function main(): Promise<void> {
  const load = loadavg()[0] ?? 0;
  log(`machine: ${describeMachine()}; 1-minute load average ${load.toFixed(2)}`);
  ensureGatewayBuild(log);
  const group = new ProcessGroup();
  const redisServers: Array<{ client: Redis; dispose: () => Promise<void> }> = [];
  // One redis-server per side (and one for the scale run): what each one's Redis does is its own.
  const startBenchRedis = async (): Promise<{ url: string; client: Redis }> => {
    const server = await startRedis({ appendonly: true });
    const client = new Redis(server.url);
    redisServers.push({ client, dispose: () => server.dispose() });
    return { url: server.url, client };
  };
  let cleaning: Promise<void> | undefined;
  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await group.stopAll();
      for (const { client, dispose } of redisServers) {
        client.disconnect();
        await dispose();
      }
    })());
  const interrupted = (): void => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const chosen = sides(gatewayOverrides).filter((s) => only === undefined || s.id === only);
    const results = chosen.length === 0 ? [] : await measureSides(chosen, SETTINGS, group, startBenchRedis, log);
    let scale: ScaleResult | undefined;
    if (only === undefined || only === 'scale') {
      log(`scale: starting ${SCALE.replicas} gateways`);
      const redis = await startBenchRedis();
      scale = await measureScale(SCALE, SETTINGS, group, redis.url, redis.client, log);
    }
    const settings = [
      SETTINGS.loads.map((run) => `${fmt(run.clients)} subscribed clients at ${run.rate} price updates/s`).join(' and ') +
        `, each side ${SETTINGS.rounds} windows of ${SETTINGS.windowSeconds} s after ${SETTINGS.warmupSeconds} s of warm-up, the three sides taking turns window by window with their connections open`,
      `${fmt(SETTINGS.idleConnections)} idle connections for memory`,
      `then ${SCALE.replicas} gateway replicas sharing ${SCALE.loads.map((run) => `${fmt(run.clients)} clients at ${run.rate} price updates/s`).join(', then ')}`,
      `load generators: ${SETTINGS.clientProcesses} processes, ${SETTINGS.connectConcurrency} connections opening at a time in each`,
      'every server, publisher and load generator its own process on 127.0.0.1, each side (and the scale run) with its own redis-server with AOF everysec',
    ].join('; ');
    const body = [
      `Machine: ${describeMachine()}. 1-minute load average ${load.toFixed(2)} when the run began.`,
      `Command: \`bash bench/run.sh gateway${quick ? ' --quick' : ''}\` (${settings}; one run).`,
      '',
      'Gateway settings: every limit at its default (`REDIS_URL`, `PORT`, `HOST=127.0.0.1`, `AUTH_JWT_SECRET`, `INSTANCE_ID`, `LOG_LEVEL=warn`, `DASHBOARD_DIR` only). ' +
        'Its clients authenticate with their own HS256 JWT and subscribe to `market_data`; the publisher appends valid `price_update` CloudEvents with StreamPublisher. ' +
        'The peer\'s clients are socket.io-client 4 (WebSocket transport, one Manager each) joined to one room; another socket.io node emits the same CloudEvent to that room through the adapter\'s stream. ' +
        'The limit skips Redis: the publisher sends it the same CloudEvent JSON over a loopback WebSocket, and it wraps each one once in the gateway\'s `event` frame (same size) and sends it to every socket. ' +
        'Redis commands are counted from INFO commandstats over the window; "besides stream reads and the publisher\'s XADD" leaves out XREADGROUP and XREAD, as many XADDs as the published stream gained (its `entries-added`), and the benchmark\'s own INFO and XINFO readings. ' +
        'With several windows per side, CPU per delivery and the latency percentiles are the median window\'s, the rest is over all windows. ' +
        'Latency runs from the publisher\'s stamp (monotonic clock, in `data.publishedUs`) to receipt in the load generator (10 µs buckets below 10 ms, 1 ms buckets above); CPU is the server process\'s utime + stime over the window ' +
        '(on loopback a send also runs the receiving TCP path in the sender\'s system call, on every side alike). ' +
        'The offered load is the same at both client counts: on these 2 cores the load generators need more CPU per delivery than any server, so a higher rate measures them, not the servers; ' +
        'the column "deliveries/s per server core" (1M ÷ CPU s per 1M) is the servers\' ceiling instead. "Other work" is the machine\'s busy time minus the benchmark\'s own processes (engineers share this machine).',
      '',
      ...SETTINGS.loads.flatMap((_, i) => [loadTables(results, i, SETTINGS), '']),
      memoryTable(results, SETTINGS),
      '',
      scaleTable(scale),
      '',
      goalsTable(results, SETTINGS),
      '',
      explanation(results, SETTINGS),
    ].join('\n');
    console.log(body);
    if (development) log('development run (--side or --gateway-env): docs/benchmarks.md left as it is');
    else writeSection('gateway', 'Gateway fan-out', body);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
