// Alert rules at platform scale: price events per second the built alert service (a real process
// from dist/, rules seeded with ALERT_SEED_FILE, events preloaded into market_data) evaluates,
// beside a raw XREADGROUP COUNT 100 + XACK loop over the same events (the ceiling of consuming
// the stream), for 1,000 rules over 50 symbols and 100,000 rules over 1,000 symbols, each with no
// rule changing state and with 5 % of the rules crossing back and forth. Per workload: the
// service's and Redis's CPU per event (/proc, INFO cpu), Redis commands per event (INFO
// commandstats, the benchmark's own commands left out), the service's memory, and the alert
// transitions produced. Then the keys Redis holds while 1,000,000 events go through. Results go
// to docs/benchmarks.md.
//   bash bench/run.sh alert-rules [--quick] [--only=<text in a workload name>] [--no-keys]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { startRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import { buildAlertService, BuiltAlertService } from './support/alert-rules/built-service';
import { appendPriceEvents, firstEventTime, workloadRules, type AlertWorkload } from './support/alert-rules/bench-workload';
import { commandsBetween, redisStats, topCommands, totalCommands } from './support/alert-rules/redis-stats';
import { processCpuSeconds } from './support/gateway/proc-stats';
import { describeMachine } from './support/machine';
import { measure, rate, type Measurement } from './support/measure';
import { writeSection } from './support/report';

const quick = process.argv.includes('--quick');
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
const keysStep = !process.argv.includes('--no-keys');
const COUNT = 100;
/** Rounds of each quiet workload (the median is reported): one run is at the mercy of the machine's other work. */
const ROUNDS = 3;
const STREAM = 'market_data';
const GROUP = 'alert-service';
/** Budgets no benchmark reaches: every transition is notified, none suppressed. */
const RATE_LIMITS = JSON.stringify({ S1: { perMinute: 1_000_000, burst: 1_000_000, perDay: 100_000_000 } });

const WORKLOADS: AlertWorkload[] = [
  { name: '1,000 rules / 50 symbols, quiet', symbols: 50, rulesPerSymbol: 20, crossing: false, events: quick ? 10_000 : 100_000 },
  { name: '1,000 rules / 50 symbols, 5 % crossing', symbols: 50, rulesPerSymbol: 20, crossing: true, events: quick ? 10_000 : 100_000 },
  { name: '100,000 rules / 1,000 symbols, quiet', symbols: 1_000, rulesPerSymbol: 100, crossing: false, events: quick ? 10_000 : 200_000 },
  { name: '100,000 rules / 1,000 symbols, 5 % crossing', symbols: 1_000, rulesPerSymbol: 100, crossing: true, events: quick ? 10_000 : 100_000 },
];
/** Events of the keys step, and how many between two counts. */
const KEY_EVENTS = quick ? 100_000 : 1_000_000;
const KEY_CHUNK = quick ? 25_000 : 100_000;

interface ServiceRun {
  m: Measurement;
  serviceCpuMsPerEvent: number;
  redisCpuMsPerEvent: number;
  commandsPerEvent: number;
  busiest: string;
  transitions: number;
  rssMiB: number;
  peakRssMiB: number;
}

/** Counts the commands the benchmark sends to Redis while the service is measured. */
class OwnCommands {
  readonly counts: Record<string, number> = {};
  add(name: string, calls = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + calls;
  }
}

/** The group's progress: undelivered (lag; -1 while Redis cannot tell) and unacknowledged entries. */
async function groupProgress(redis: Redis, own?: OwnCommands): Promise<{ lag: number; pending: number }> {
  own?.add('xinfo|groups');
  const groups = (await redis.xinfo('GROUPS', STREAM)) as unknown[][];
  const group = groups.find((fields) => fields[fields.indexOf('name') + 1] === GROUP) ?? [];
  const lag = group[group.indexOf('lag') + 1];
  return { lag: lag === null || lag === undefined ? -1 : Number(lag), pending: Number(group[group.indexOf('pending') + 1] ?? -1) };
}

/** Entries ever added to `alerts`: the alert changes committed (trimming does not lower it). */
async function alertChanges(redis: Redis, own?: OwnCommands): Promise<number> {
  own?.add('xinfo|stream');
  try {
    const info = (await redis.xinfo('STREAM', 'alerts')) as unknown[];
    return Number(info[info.indexOf('entries-added') + 1] ?? 0);
  } catch {
    return 0; // no alert yet
  }
}

/** The ceiling: read a batch with XREADGROUP COUNT 100, parse each entry's data, XACK the batch; its own group on the same stream. */
async function rawLoop(server: RedisTestServer, events: number): Promise<Measurement> {
  const redis = new Redis(server.url);
  await redis.xgroup('CREATE', STREAM, 'bench-raw', '0');
  const m = await measure('raw XREADGROUP COUNT 100 + XACK loop', events, async () => {
    let handled = 0;
    while (handled < events) {
      const reply = (await redis.xreadgroup('GROUP', 'bench-raw', 'c1', 'COUNT', COUNT, 'BLOCK', 100, 'STREAMS', STREAM, '>')) as Array<[string, Array<[string, string[]]>]> | null;
      const entries = reply?.[0]?.[1] ?? [];
      for (const [, fields] of entries) JSON.parse(fields[fields.indexOf('data') + 1] ?? 'null');
      if (entries.length) await redis.xack(STREAM, 'bench-raw', ...entries.map(([id]) => id));
      handled += entries.length;
    }
  });
  redis.disconnect();
  return m;
}

/** What the engine before issue 12 did on these workloads (every rule it observed read and written per event, a key per event): the commit that measured it, kept for the comparison. */
const BEFORE =
  '1,000 rules quiet 0.017× the raw loop, 59 Redis commands and 0.26 ms of Redis CPU per event; 100,000 rules quiet 0.003×, 214 commands and 0.76 ms of Redis CPU per event, RSS 546 MiB (peak 634); one key more per event (101,062 keys after 100,000 events).';

/** The heap cap the Kubernetes manifests give the alert service (k8s/base/alert-service/deployment.yaml: 60 % of its 512 MiB limit). */
const HEAP_CAP = '--max-old-space-size=307';

function serviceEnv(server: RedisTestServer, rulesFile: string): Record<string, string> {
  return { REDIS_URL: server.url, ALERT_SEED_FILE: rulesFile, ALERT_RATE_LIMITS: RATE_LIMITS, INSTANCE_ID: 'bench-alert-1', NODE_OPTIONS: HEAP_CAP };
}

/** Waits until the group has nothing left to deliver or acknowledge, polling every 20 ms. */
async function drained(redis: Redis, own: OwnCommands, timeoutMs: number): Promise<void> {
  await waitFor(async () => {
    const { lag, pending } = await groupProgress(redis, own);
    return lag === 0 && pending === 0;
  }, { timeoutMs, intervalMs: 20, message: 'every event consumed' });
}

/** The built service over the preloaded events: the clock runs from "consumers running" until the group is drained. */
async function serviceRun(server: RedisTestServer, rulesFile: string, workload: AlertWorkload): Promise<ServiceRun> {
  const redis = new Redis(server.url);
  const service = await BuiltAlertService.start(serviceEnv(server, rulesFile));
  try {
    const own = new OwnCommands();
    const before = await redisStats(redis);
    const cpu0 = processCpuSeconds(service.pid);
    const changes0 = await alertChanges(redis, own);
    const m = await measure(`alert service (${workload.name})`, workload.events, () => drained(redis, own, 1_800_000));
    const cpu1 = processCpuSeconds(service.pid);
    const transitions = (await alertChanges(redis, own)) - changes0;
    own.add('info', 2);
    const after = await redisStats(redis);
    const commands = commandsBetween(before, after, own.counts);
    const memory = service.memory();
    return {
      m,
      serviceCpuMsPerEvent: ((cpu1 - cpu0) * 1000) / workload.events,
      redisCpuMsPerEvent: ((after.cpuSeconds - before.cpuSeconds) * 1000) / workload.events,
      commandsPerEvent: totalCommands(commands) / workload.events,
      busiest: topCommands(commands),
      transitions,
      rssMiB: memory.rss / 2 ** 20,
      peakRssMiB: memory.peak / 2 ** 20,
    };
  } finally {
    await service.stop();
    redis.disconnect();
  }
}

/** One workload on a fresh Redis: preload, the raw loop, the service. */
/** A workload's rounds, and the round reported: the one with the median ratio to the raw loop (other work shares this machine). */
interface WorkloadResult {
  workload: AlertWorkload;
  raw: Measurement;
  service: ServiceRun;
  /** The ratio of every round, in order. */
  ratios: number[];
}

/** Runs a workload `rounds` times (each on a fresh Redis) and keeps the median round. */
async function runRounds(dir: string, workload: AlertWorkload, rounds: number): Promise<WorkloadResult> {
  const done: Array<{ raw: Measurement; service: ServiceRun }> = [];
  for (let round = 0; round < rounds; round += 1) done.push(await runWorkload(dir, workload));
  const ratio = ({ raw, service }: { raw: Measurement; service: ServiceRun }) => rate(service.m) / rate(raw);
  const median = [...done].sort((a, b) => ratio(a) - ratio(b))[Math.floor(done.length / 2)] as { raw: Measurement; service: ServiceRun };
  return { workload, ...median, ratios: done.map(ratio) };
}

async function runWorkload(dir: string, workload: AlertWorkload): Promise<{ raw: Measurement; service: ServiceRun }> {
  const server = await startRedis({ appendonly: true });
  const admin = new Redis(server.url);
  try {
    const rulesFile = join(dir, `rules-${workload.symbols}-${workload.crossing}.json`);
    writeFileSync(rulesFile, JSON.stringify(workloadRules(workload)));
    await admin.xgroup('CREATE', STREAM, GROUP, '0', 'MKSTREAM');
    await appendPriceEvents(admin, STREAM, workload, 0, workload.events, firstEventTime(workload, workload.events));
    console.log(`${workload.name}: ${workload.events.toLocaleString('en-US')} events preloaded`);
    const raw = await rawLoop(server, workload.events);
    const service = await serviceRun(server, rulesFile, workload);
    console.log(`${workload.name}: raw ${Math.round(rate(raw))}/s, service ${Math.round(rate(service.m))}/s, ${service.commandsPerEvent.toFixed(3)} commands/event, ${service.transitions} transitions`);
    return { raw, service };
  } finally {
    admin.disconnect();
    await server.dispose();
  }
}

/** Keys in Redis while `KEY_EVENTS` events of the 1,000-rule quiet workload go through the service, counted every `KEY_CHUNK` events. */
async function keysRun(dir: string): Promise<Array<{ events: number; keys: number }>> {
  const workload: AlertWorkload = { ...(WORKLOADS[0] as AlertWorkload), events: KEY_EVENTS };
  const server = await startRedis({ appendonly: true });
  const admin = new Redis(server.url);
  const rulesFile = join(dir, 'rules-keys.json');
  writeFileSync(rulesFile, JSON.stringify(workloadRules(workload)));
  const service = await BuiltAlertService.start(serviceEnv(server, rulesFile));
  try {
    const counts = [{ events: 0, keys: await admin.dbsize() }];
    const t0 = firstEventTime(workload, KEY_EVENTS);
    for (let from = 0; from < KEY_EVENTS; from += KEY_CHUNK) {
      await appendPriceEvents(admin, STREAM, workload, from, KEY_CHUNK, t0);
      await drained(admin, new OwnCommands(), 1_800_000);
      counts.push({ events: from + KEY_CHUNK, keys: await admin.dbsize() });
      console.log(`keys after ${(from + KEY_CHUNK).toLocaleString('en-US')} events: ${counts[counts.length - 1]?.keys}`);
    }
    return counts;
  } finally {
    await service.stop();
    admin.disconnect();
    await server.dispose();
  }
}

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main(): Promise<void> {
  buildAlertService();
  const dir = mkdtempSync(join(tmpdir(), 'alert-rules-bench-'));
  const load = loadavg()[0] ?? 0;
  try {
    const results: WorkloadResult[] = [];
    for (const workload of WORKLOADS.filter((candidate) => only === undefined || candidate.name.includes(only))) results.push(await runRounds(dir, workload, workload.crossing || quick ? 1 : ROUNDS));
    const keys = keysStep ? await keysRun(dir) : [];
    const rows = results.map(({ workload, raw, service, ratios }) =>
      `| ${workload.name} | ${n(workload.events)} | ${n(rate(raw))} | ${n(rate(service.m))} | ${(rate(service.m) / rate(raw)).toFixed(3)} | ${ratios.length > 1 ? ratios.map((ratio) => ratio.toFixed(2)).join(', ') : '–'} | ${service.serviceCpuMsPerEvent.toFixed(3)} | ${service.redisCpuMsPerEvent.toFixed(4)} | ${service.commandsPerEvent.toFixed(3)} | ${service.busiest} | ${n(service.transitions)} | ${n(service.rssMiB)} (${n(service.peakRssMiB)}) |`,
    );
    const find = (symbols: number, crossing: boolean) => results.find(({ workload }) => workload.symbols === symbols && workload.crossing === crossing);
    const goal = (label: string, symbols: number, check: (run: ServiceRun, raw: Measurement) => string) => {
      const found = find(symbols, false);
      return found ? `${label}: ${check(found.service, found.raw)}` : undefined;
    };
    const perTransition = (symbols: number) => {
      const found = find(symbols, true);
      if (!found || found.service.transitions === 0) return undefined;
      const { service: run, workload } = found;
      const commands = (run.commandsPerEvent * workload.events) / run.transitions;
      const cpu = (run.redisCpuMsPerEvent * workload.events) / run.transitions;
      return `${n(workload.symbols * workload.rulesPerSymbol)} rules: ${commands.toFixed(1)} commands and ${cpu.toFixed(2)} ms of Redis CPU per transition (${(run.transitions / workload.events).toFixed(2)} transitions per event)`;
    };
    const goals = [
      goal('100,000 rules, none changing state', 1_000, (run, raw) => `${(rate(run.m) / rate(raw)).toFixed(2)}× the raw loop (goal ≥ 0.25), ${run.commandsPerEvent.toFixed(3)} Redis commands per event (goal ≤ 1), ${run.redisCpuMsPerEvent.toFixed(4)} ms of Redis CPU per event (goal ≤ 0.02), RSS ${n(run.rssMiB)} MiB (peak ${n(run.peakRssMiB)}; goal < 512)`),
      goal('1,000 rules, none changing state', 50, (run, raw) => `${(rate(run.m) / rate(raw)).toFixed(2)}× the raw loop (goal ≥ 0.5)`),
      [perTransition(50), perTransition(1_000)].filter(Boolean).length > 0 ? `With 5 % crossing, Redis work follows the transitions: ${[perTransition(50), perTransition(1_000)].filter(Boolean).join('; ')}.` : undefined,
    ].filter((line): line is string => line !== undefined);
    const body = [
      `Machine: ${describeMachine()}. 1-minute load average ${load.toFixed(1)} on ${cpus().length} cores when the run began (engineers share this machine: absolute rates move from run to run; CPU and commands per event, and the ratios, are the result).`,
      `Command: \`bash bench/run.sh alert-rules${quick ? ' --quick' : ''}\`: per workload a fresh redis-server 7 with AOF everysec on loopback, the price events preloaded into \`market_data\` (group \`alert-service\` created at 0 before the service starts), ` +
        `the raw loop over them in a group of its own, then the built service (\`dist/apps/alert-service/main.js\`, rules from \`ALERT_SEED_FILE\`, one replica, every setting at its default but budgets no run reaches, heap capped as the Kubernetes manifests cap it: \`NODE_OPTIONS=${HEAP_CAP}\`) ` +
        `timed from "Redis Streams initialized successfully" until group \`alert-service\` has lag 0 and nothing pending${quick ? '; one round each' : `; the quiet workloads ${ROUNDS} rounds each, the median round reported (every round's ratio beside it), the others one round`}. Service CPU from /proc/<pid>/stat, Redis CPU from INFO cpu, commands from INFO commandstats (commands run inside scripts included, the benchmark's own polling left out), memory from /proc/<pid>/status (VmRSS at the end, VmHWM in brackets).`,
      '',
      'Workloads: each symbol\'s price swings 97 to 103 (a period of 20 of its events, one per second of event time). Half the rules are price thresholds far outside the swing (above 130 to 180, below 20 to 70), half price moves of 10 % to 50 % over 1 to 25 minutes; "5 % crossing" replaces 5 % of each symbol\'s rules by thresholds inside the swing (above 100.5 to 102.5, below 97.5 to 99.5), each raising and resolving once per swing. All rules are S1.',
      '',
      '| workload | events | raw loop events/s | service events/s | ÷ raw | each round ÷ raw | service CPU ms/event | Redis CPU ms/event | Redis commands/event | busiest commands | transitions | service RSS MiB (peak) |',
      '|---|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|',
      ...rows,
      '',
      ...goals.map((line) => `- ${line}`),
      `- Before the redesign (the engine the parity fixture was recorded from, measured by this benchmark's \`--quick\` run, 10,000 events per workload: \`git show 79cbc1d:docs/benchmarks.md\`): ${BEFORE}`,
      ...(keys.length === 0
        ? []
        : [
            '',
            `Keys (DBSIZE) while ${n(KEY_EVENTS)} events of the first workload go through one service (published in chunks of ${n(KEY_CHUNK)} to a \`market_data\` capped at 1,000,000 entries, each chunk drained before counting):`,
            '',
            `| events | ${keys.map((row) => n(row.events)).join(' | ')} |`,
            `|---|${keys.map(() => '---:').join('|')}|`,
            `| keys | ${keys.map((row) => n(row.keys)).join(' | ')} |`,
          ]),
    ].join('\n');
    console.log(body);
    writeSection('alert-rules', 'Alert rules at scale: price events per second, Redis work per event', body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
