import type { LoadResult, LoadSettings, RunSettings, SideResult } from './measure-side';
import type { ScaleResult } from './scale-run';

const MiB = 2 ** 20;

/** `1,234` style numbers with `digits` decimals ('n/a' when not finite). */
export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return 'n/a';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Milliseconds at the histogram's resolution: 10 µs below 10 ms, 1 ms above. */
function ms(n: number): string {
  return fmt(n, n < 10 ? 2 : 0);
}

function ratio(n: number, base: number | undefined): string {
  return base !== undefined && Number.isFinite(n) && Number.isFinite(base) && base > 0 ? fmt(n / base, 2) : 'n/a';
}

function lostText(lost: Record<string, number>): string {
  const entries = Object.entries(lost);
  return entries.length === 0 ? '0' : entries.map(([reason, n]) => `${fmt(n)} (${reason})`).join(', ');
}

function loadAt(result: SideResult | undefined, index: number): LoadResult | undefined {
  return result?.loads[index];
}

function byId(results: readonly SideResult[], id: string): SideResult | undefined {
  return results.find((r) => r.side.id === id);
}

function redisText(load: LoadResult): string {
  const top = load.redisCommands.slice(0, 4).map(([name, n]) => `${name} ${fmt(n)}`);
  return `${fmt(load.redisCallsPerSecond)} (${top.join(', ')})`;
}

function otherText(load: LoadResult): string {
  const top = load.redisOther.slice(0, 4).map(([name, n]) => `${name} ${fmt(n, 1)}`);
  return top.length === 0 ? '0' : `${fmt(load.redisOtherPerSecond, 1)} (${top.join(', ')})`;
}

/** The tables of one client count: the three sides with ratios, then where the CPU went. */
export function loadTables(results: readonly SideResult[], index: number, settings: RunSettings): string {
  const compared = results;
  const limit = loadAt(byId(results, 'limit'), index);
  const peer = loadAt(byId(results, 'peer'), index);
  const { clients, rate } = settings.loads[index] as LoadSettings;
  const lines = [
    `### ${fmt(clients)} clients`,
    `${rate} messages/s × ${fmt(clients)} clients = ${fmt(rate * clients)} deliveries/s offered; per side ${settings.rounds} × ${settings.windowSeconds} s measured, each window after ${settings.warmupSeconds} s of warm-up, the sides taking turns window by window.`,
    '',
    '| side | deliveries/s | p50 ms | p99 ms | server CPU s per 1M deliveries | deliveries/s per server core (1M ÷ CPU s) | deliveries/s ÷ limit | CPU per delivery ÷ limit | CPU per delivery ÷ peer |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of compared) {
    const load = loadAt(result, index);
    if (!load) continue;
    lines.push(
      `| ${result.side.name} | ${fmt(load.deliveriesPerSecond)} | ${ms(load.p50Ms)} | ${ms(load.p99Ms)} | ${fmt(load.cpuPerMillion, 2)} | ${fmt(1e6 / load.cpuPerMillion)} | ` +
        `${ratio(load.deliveriesPerSecond, limit?.deliveriesPerSecond)} | ${ratio(load.cpuPerMillion, limit?.cpuPerMillion)} | ${ratio(load.cpuPerMillion, peer?.cpuPerMillion)} |`,
    );
  }
  lines.push(
    '',
    '| side | server CPU (cores) | load generators + publisher + Redis (cores) | other work on the machine (cores) | Redis commands/s (busiest) | Redis commands/s besides stream reads and the publisher\'s XADD | Redis CPU s per 1M deliveries | frame bytes | connections the server closed |',
    '|---|---:|---:|---:|---|---|---:|---:|---:|',
  );
  for (const result of compared) {
    const load = loadAt(result, index);
    if (!load) continue;
    lines.push(
      `| ${result.side.name} | ${fmt(load.serverCores, 2)} | ${fmt(load.benchCores, 2)} | ${fmt(load.otherCores, 2)} | ${redisText(load)} | ${otherText(load)} | ${fmt(load.redisCpuPerMillion, 2)} | ${fmt(load.frameBytes)} | ${lostText(load.lost)} |`,
    );
  }
  return lines.join('\n');
}

/** KiB of RSS per idle connection. */
export function kibPerConnection(result: SideResult | undefined): number {
  if (!result) return NaN;
  const { rssAfterBytes, rssBeforeBytes, connections } = result.memory;
  return connections > 0 ? (rssAfterBytes - rssBeforeBytes) / connections / 1024 : NaN;
}

/** The memory-per-idle-connection table. */
export function memoryTable(results: readonly SideResult[], settings: RunSettings): string {
  const limit = kibPerConnection(byId(results, 'limit'));
  const peer = kibPerConnection(byId(results, 'peer'));
  const n = fmt(settings.idleConnections);
  const lines = [
    `### Memory per idle connection (${n} connections)`,
    `(RSS with ${n} idle connections − RSS with none, after a warm-up) ÷ connections, from VmRSS in /proc/<pid>/status, each read after a full garbage collection in the server (every server runs with \`--expose-gc\` and collects on the benchmark's request), so garbage left by opening the connections is not counted, and with \`MALLOC_ARENA_MAX=2\` (without it, malloc arenas of the threads that checked the tokens kept up to 2 KiB more per connection in some runs). Ours are authenticated with one subscription each.`,
    '',
    `| side | RSS, no connection (MiB) | RSS, ${n} idle (MiB) | connections open | KiB per idle connection | ÷ limit | ÷ peer | seconds to open them | server CPU while idle (cores) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    const m = result.memory;
    if (!m) continue;
    const kib = kibPerConnection(result);
    lines.push(
      `| ${result.side.name} | ${fmt(m.rssBeforeBytes / MiB, 1)} | ${fmt(m.rssAfterBytes / MiB, 1)} | ${fmt(m.connections)}${m.failed ? ` (${fmt(m.failed)} failed)` : ''} | ${fmt(kib, 1)} | ` +
        `${ratio(kib, limit)} | ${ratio(kib, peer)} | ${fmt(m.connectSeconds, 1)} | ${fmt(m.idleCores, 2)} |`,
    );
  }
  return lines.join('\n');
}

/** The scale run's table: several replicas, one Redis. */
export function scaleTable(scale: ScaleResult | undefined): string {
  if (!scale) return '';
  const { settings } = scale;
  const clients = Math.max(...settings.loads.map((run) => run.clients));
  const lines = [
    `### ${settings.replicas} gateway replicas, ${fmt(clients)} clients, one Redis`,
    `${settings.replicas} gateway processes from the build (instance ids \`bench-replica-1..${settings.replicas}\`, each with its own fan-out group), clients spread evenly over them as a load balancer would, one publisher; one window each: many connections at a low rate, then few connections at a high rate (what Redis does per published event). ` +
      'Server CPU is the sum over the replicas. Redis CPU per published event includes its XADD and every replica\'s XREADGROUP of it, and Redis\'s own fixed work (AOF, its clock) spread over the events.',
    '',
    '| replicas | clients | price updates/s | deliveries/s | p50 ms | p99 ms | gateways\' CPU (cores) | CPU s per 1M deliveries | Redis commands/s (busiest) | Redis commands/s besides stream reads and the publisher\'s XADD | Redis CPU (cores) | Redis CPU µs per delivered event | Redis CPU µs per published event | connections the servers closed |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|',
  ];
  settings.loads.forEach((run, i) => {
    const load = scale.loads[i];
    if (!load) return;
    const perPublished = load.publishedPerSecond > 0 ? (load.redisCores / load.publishedPerSecond) * 1e6 : NaN;
    lines.push(
      `| ${settings.replicas} | ${fmt(load.clients)} | ${fmt(run.rate)} | ${fmt(load.deliveriesPerSecond)} | ${ms(load.p50Ms)} | ${ms(load.p99Ms)} | ${fmt(load.serverCores, 2)} | ${fmt(load.cpuPerMillion, 2)} | ${redisText(load)} | ${otherText(load)} | ${fmt(load.redisCores, 3)} | ${fmt(load.redisCpuPerMillion, 3)} | ${fmt(perPublished, 0)} | ${lostText(load.lost)} |`,
    );
  });
  return lines.join('\n');
}

/** The issue's goals against the measured numbers. */
export function goalsTable(results: readonly SideResult[], settings: RunSettings): string {
  const ours = byId(results, 'gateway');
  const limit = byId(results, 'limit');
  if (!ours || !limit) return '';
  const lines = ['### Goals', '', '| goal | measured | met |', '|---|---|---|'];
  settings.loads.forEach((run, i) => {
    const o = loadAt(ours, i);
    const l = loadAt(limit, i);
    if (!o || !l) return;
    const cpu = o.cpuPerMillion / l.cpuPerMillion;
    lines.push(`| CPU per million deliveries ≤ 1.0× the naive broadcast at ${fmt(run.clients)} clients | ${fmt(cpu, 2)}× (${fmt(o.cpuPerMillion, 2)} vs ${fmt(l.cpuPerMillion, 2)} CPU s) | ${cpu <= 1 ? 'yes' : 'no'} |`);
    lines.push(`| p99 latency ≤ the naive broadcast's at ${fmt(run.clients)} clients | ${ms(o.p99Ms)} ms vs ${ms(l.p99Ms)} ms | ${o.p99Ms <= l.p99Ms ? 'yes' : 'no'} |`);
  });
  const kib = kibPerConnection(ours);
  lines.push(`| ≤ 6 KiB per idle connection at ${fmt(settings.idleConnections)} | ${fmt(kib, 1)} KiB | ${kib <= 6 ? 'yes' : 'no'} |`);
  const big = settings.loads.findIndex((run) => run.clients >= 10_000);
  const o = loadAt(ours, big);
  if (o) {
    lines.push(
      `| ≤ 5 Redis commands/s besides the stream reads and the publisher's XADD with ${fmt(o.clients)} clients receiving | ${otherText(o)} | ${o.redisOtherPerSecond <= 5 ? 'yes' : 'no'} |`,
    );
  }
  return lines.join('\n');
}

/** The closing sentences: measured facts from the tables, side by side. */
export function explanation(results: readonly SideResult[], settings: RunSettings): string {
  const [ours, peer, limit] = ['gateway', 'peer', 'limit'].map((id) => byId(results, id));
  if (!ours || !peer || !limit || settings.loads.length < 2) return '';
  const run = (i: number) => ({ o: loadAt(ours, i), p: loadAt(peer, i), l: loadAt(limit, i) });
  const big = run(0);
  const small = run(1);
  if (!big.o || !big.p || !big.l || !small.o || !small.p || !small.l) return '';
  const cpu = (o: LoadResult, p: LoadResult, l: LoadResult): string =>
    `${fmt(o.cpuPerMillion, 1)} CPU s per million deliveries at ${fmt(o.clients)} clients (${fmt(o.cpuPerMillion / l.cpuPerMillion, 2)}× the limit, ${fmt(o.cpuPerMillion / p.cpuPerMillion, 2)}× the peer)`;
  return [
    `Our gateway spent ${cpu(big.o, big.p, big.l)} and ${cpu(small.o, small.p, small.l)}.`,
    'It serializes each event once per channel and frames it once as a WebSocket frame, then writes the same bytes to every subscriber\'s socket; the limit frames every send again inside ws.',
    `Besides reading the stream it sent Redis ${fmt(big.o.redisOtherPerSecond, 1)} commands/s at ${fmt(big.o.clients)} clients and ${fmt(small.o.redisOtherPerSecond, 1)} at ${fmt(small.o.clients)}, the same whatever the number of connections (${big.o.redisOther.map(([name, n]) => `${name} ${fmt(n, 1)}`).join(', ')}: its connection check, its consumer-lag reading and its service heartbeat): ` +
      'sessions are written when they change and when their connection closes, not while events flow.',
    `Latency grows with the clients on all three sides (the limit's p50 was ${fmt(small.l.p50Ms, 1)} ms at ${fmt(small.l.clients)} clients and ${fmt(big.l.p50Ms, 1)} ms at ${fmt(big.l.clients)}), ` +
      'since each server writes one message to every socket in one pass before the next.',
    `An idle connection held ${fmt(kibPerConnection(ours), 1)} KiB of the gateway's RSS, ${fmt(kibPerConnection(peer), 1)} KiB of the peer's and ${fmt(kibPerConnection(limit), 1)} KiB of the limit's.`,
  ].join(' ');
}
