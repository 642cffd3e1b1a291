// Alert rule throughput: price events per second the alert service (a real process, from
// source) turns into evaluated rules with 1,000 active rules, beside a raw XREADGROUP + XACK
// loop on the same stream (the limit: consuming costs nothing less), and beside the same
// service with no rules (what consuming, validating and acking cost it before any rule).
// Results go to docs/benchmarks.md.
//   bash bench/run.sh alert-rules [--quick]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createEvent, encodeEvent } from '@rebal/redis-client';
import { startRedis, waitFor, type RedisTestServer } from '@rebal/redis-testing';
import { describeMachine } from './support/machine';
import { measure, rate, ratioTable, type Measurement } from './support/measure';
import { writeSection } from './support/report';

const quick = process.argv.includes('--quick');
const EVENTS = quick ? 5_000 : 30_000;
const SYMBOLS = 50;
const RULES_PER_SYMBOL = 20;
const COUNT = 100;
const ROOT = join(__dirname, '../..');
const SECRET = 'bench-only-secret-of-the-alert-service-0123456789';

/**
 * 1,000 rules: per symbol 10 price thresholds (5 above, 5 below the starting price, 1 to 5 %
 * away) and 10 price moves (up and down, 1 to 5 %, windows of 1 to 25 minutes), so a random
 * walk keeps raising, escalating and resolving some of them while most stay quiet.
 */
function rules(): unknown[] {
  const out: unknown[] = [];
  for (let n = 0; n < SYMBOLS; n += 1) {
    const symbol = `B${n}`;
    for (let k = 1; k <= 5; k += 1) {
      out.push({ id: `${symbol.toLowerCase()}-above-${k}`, name: `${symbol} above +${k}%`, kind: 'price_threshold', symbol, direction: 'above', severities: { S1: 100 * (1 + k / 100) }, keepFiringSeconds: 60 });
      out.push({ id: `${symbol.toLowerCase()}-below-${k}`, name: `${symbol} below -${k}%`, kind: 'price_threshold', symbol, direction: 'below', severities: { S1: 100 * (1 - k / 100) }, keepFiringSeconds: 60 });
      for (const direction of ['up', 'down'] as const) {
        out.push({ id: `${symbol.toLowerCase()}-${direction}-${k}`, name: `${symbol} ${direction} ${k}%`, kind: 'price_change', symbol, direction, windowSeconds: 60 * k * k, severities: { S1: k, S2: 2 * k } });
      }
    }
  }
  if (out.length !== SYMBOLS * RULES_PER_SYMBOL) throw new Error(`expected ${SYMBOLS * RULES_PER_SYMBOL} rules, made ${out.length}`);
  return out;
}

/** Random-walk prices around 100, one event per second of event time per symbol, symbols interleaved. */
async function preload(redis: Redis, stream: string): Promise<void> {
  const prices = Array.from({ length: SYMBOLS }, () => 100);
  const t0 = Date.now() - EVENTS * 1000;
  for (let start = 0; start < EVENTS; start += 1000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(EVENTS, start + 1000); i += 1) {
      const n = i % SYMBOLS;
      prices[n] = Math.max(1, (prices[n] as number) * (1 + (Math.random() - 0.5) * 0.004));
      const event = createEvent({ type: 'price_update', source: '/bench', subject: `B${n}`, time: new Date(t0 + i * 1000).toISOString(), data: { symbol: `B${n}`, price: Number((prices[n] as number).toFixed(4)), currency: 'USD' } });
      pipeline.xadd(stream, '*', ...encodeEvent(event));
    }
    await pipeline.exec();
  }
}

/** The limit: read a batch, parse each entry's data, XACK the batch, on the same stream in a group of its own. */
async function rawLoop(server: RedisTestServer, stream: string): Promise<Measurement> {
  const redis = new Redis(server.url);
  await redis.xgroup('CREATE', stream, 'bench-raw', '0');
  const m = await measure('raw XREADGROUP + XACK loop (limit)', EVENTS, async () => {
    let handled = 0;
    while (handled < EVENTS) {
      const reply = (await redis.xreadgroup('GROUP', 'bench-raw', 'c1', 'COUNT', COUNT, 'BLOCK', 100, 'STREAMS', stream, '>')) as Array<[string, Array<[string, string[]]>]> | null;
      const entries = reply?.[0]?.[1] ?? [];
      for (const [, fields] of entries) JSON.parse(fields[fields.indexOf('data') + 1] ?? 'null');
      if (entries.length) await redis.xack(stream, 'bench-raw', ...entries.map(([id]) => id));
      handled += entries.length;
    }
  });
  redis.disconnect();
  return m;
}

/** Starts the service from source with `env`; resolves with the child and its port once its consumers run. */
async function startService(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; ready: () => boolean }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', 'apps/alert-service/src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', TSX_TSCONFIG_PATH: 'tsconfig.base.json', HOST: '127.0.0.1', PORT: '0', AUTH_JWT_SECRET: SECRET, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let port = 0;
  let ready = false;
  let pending = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const log = JSON.parse(line) as { msg: string; port?: number };
      if (log.msg === 'alert service listening' && log.port) port = log.port;
      if (log.msg === 'Redis Streams initialized successfully') ready = true;
    }
  });
  await waitFor(() => port > 0, { timeoutMs: 60_000, message: 'the alert service to listen' });
  return { child, port, ready: () => ready };
}

/** CPU seconds Redis has used so far (user + system), from INFO CPU. */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return field('used_cpu_user') + field('used_cpu_sys');
}

/** Sum of a counter's samples in Prometheus text. */
function counterSum(metrics: string, name: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/**
 * The service over `EVENTS` preloaded events of stream prefix `prefix`: the group is created
 * at 0 before the service starts, the clock starts when the service reports its consumers
 * running and stops when the group has nothing left to deliver or acknowledge.
 */
interface ServiceRun {
  m: Measurement;
  /** Rule observations evaluated. */
  evaluations: number;
  /** CPU ms per event of the service process and of Redis. */
  cpuPerEvent: { service: number; redis: number };
}

async function service(server: RedisTestServer, name: string, prefix: string, seedFile: string): Promise<ServiceRun> {
  const redis = new Redis(server.url);
  const stream = `${prefix}market_data`;
  const progress = async () => {
    const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
    const group = groups.find((fields) => fields[fields.indexOf('name') + 1] === 'alert-service') ?? [];
    return { lag: Number(group[group.indexOf('lag') + 1]), pending: Number(group[group.indexOf('pending') + 1]) };
  };
  const { child, port, ready } = await startService({ REDIS_URL: server.url, REDIS_STREAM_PREFIX: prefix, ALERT_SEED_FILE: seedFile, ALERT_RATE_LIMITS: '{"S1":{"perMinute":100000,"burst":100000,"perDay":10000000}}' });
  try {
    await waitFor(ready, { timeoutMs: 60_000, intervalMs: 5, message: 'the alert service consumers to run' });
    const metricsText = async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const [serviceCpu0, redisCpu0] = [counterSum(await metricsText(), 'process_cpu_seconds_total'), await redisCpuSeconds(redis)];
    const m = await measure(name, EVENTS, async () => {
      await waitFor(async () => {
        const { lag, pending } = await progress();
        return lag === 0 && pending === 0;
      }, { timeoutMs: 600_000, intervalMs: 20, message: 'every event acknowledged' });
    });
    const metrics = await metricsText();
    const cpuPerEvent = {
      service: ((counterSum(metrics, 'process_cpu_seconds_total') - serviceCpu0) * 1000) / EVENTS,
      redis: (((await redisCpuSeconds(redis)) - redisCpu0) * 1000) / EVENTS,
    };
    return { m, evaluations: counterSum(metrics, 'rebal_alert_rule_evaluations_total'), cpuPerEvent };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const server = await startRedis({ appendonly: true });
  const dir = mkdtempSync(join(tmpdir(), 'alert-rules-bench-'));
  const redis = new Redis(server.url);
  try {
    const withRules = join(dir, 'rules.json');
    const noRules = join(dir, 'none.json');
    writeFileSync(withRules, JSON.stringify(rules()));
    writeFileSync(noRules, '[]');
    // One stream for the raw loop and the service with rules (each its own group), another for the service without rules.
    for (const prefix of ['rules:', 'none:']) {
      await redis.xgroup('CREATE', `${prefix}market_data`, 'alert-service', '0', 'MKSTREAM');
      await preload(redis, `${prefix}market_data`);
    }
    const load = loadavg()[0] ?? 0;
    const limit = await rawLoop(server, 'rules:market_data');
    const bare = await service(server, 'alert service, no rules', 'none:', noRules);
    const full = await service(server, `alert service, ${(SYMBOLS * RULES_PER_SYMBOL).toLocaleString('en-US')} rules`, 'rules:', withRules);
    const body = [
      `Machine: ${describeMachine()}.`,
      `Command: \`bash bench/run.sh alert-rules${quick ? ' --quick' : ''}\` (${EVENTS.toLocaleString('en-US')} price events of ${SYMBOLS} symbols preloaded, ` +
        `the service as a real process from source with its defaults: 3 event consumers of concurrency 10, batches of 100; redis-server with AOF everysec on loopback, one run).`,
      '',
      ratioTable([limit, bare.m, full.m], limit, 'events/s'),
      '',
      `CPU per event: the service process ${bare.cpuPerEvent.service.toFixed(2)} ms without rules and ${full.cpuPerEvent.service.toFixed(2)} ms with them; ` +
        `Redis ${bare.cpuPerEvent.redis.toFixed(2)} ms and ${full.cpuPerEvent.redis.toFixed(2)} ms. The 1-minute load average was ${load.toFixed(1)} on ${cpus().length} cores when the run began ` +
        `(other work shares this machine), so absolute rates move from run to run; the CPU per event and the ratios are the result.`,
      '',
      `With ${(SYMBOLS * RULES_PER_SYMBOL).toLocaleString('en-US')} active rules (${RULES_PER_SYMBOL} on each symbol: 10 thresholds, 10 moves over 1 to 25 minute windows) the service evaluated ` +
        `${Math.round(full.evaluations / full.m.seconds).toLocaleString('en-US')} rule observations per second (${full.evaluations.toLocaleString('en-US')} in all, ` +
        `${(full.evaluations / EVENTS).toFixed(1)} per event). Each event costs the service a few round trips whatever the rules (idempotency check, rule states read, ` +
        `one Lua commit of states and alert changes, the XACK); the price-move rules add the price history write and look-ups. The raw loop parses and acks in batches ` +
        `and does nothing else, so it is the ceiling of consuming this stream, not a peer. The ${(SYMBOLS * RULES_PER_SYMBOL).toLocaleString('en-US')} rules keep ` +
        `${((rate(full.m) / rate(bare.m)) * 100).toFixed(0)} % of the rule-less service's rate.`,
    ].join('\n');
    console.log(body);
    writeSection('alert-rules', 'Alert rule evaluation: price events per second', body);
  } finally {
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
    await server.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
