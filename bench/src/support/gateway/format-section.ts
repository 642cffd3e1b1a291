import type { LoadResult, LoadSettings, RunSettings, SideResult } from './measure-side';

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

function commandRate(load: LoadResult, name: string): number {
  return load.redisCommands.find(([command]) => command === name)?.[1] ?? 0;
}

function redisText(load: LoadResult): string {
  const top = load.redisCommands.slice(0, 4).map(([name, n]) => `${name} ${fmt(n)}`);
  return `${fmt(load.redisCallsPerSecond)} (${top.join(', ')})`;
}

/** The tables of one client count: the three sides with ratios, then where the CPU went. */
export function loadTables(results: readonly SideResult[], index: number, settings: RunSettings): string {
  const compared = results.filter((r) => !r.side.diagnostic);
  const limit = loadAt(byId(results, 'limit'), index);
  const peer = loadAt(byId(results, 'peer'), index);
  const { clients, rate } = settings.loads[index] as LoadSettings;
  const lines = [
    `### ${fmt(clients)} clients`,
    `${rate} messages/s × ${fmt(clients)} clients = ${fmt(rate * clients)} deliveries/s offered; ${settings.windowSeconds} s measured after ${settings.warmupSeconds} s of warm-up.`,
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
    '| side | server CPU (cores) | load generators + publisher + Redis (cores) | other work on the machine (cores) | Redis commands/s (busiest) | frame bytes | connections the server closed |',
    '|---|---:|---:|---:|---|---:|---:|',
  );
  for (const result of compared) {
    const load = loadAt(result, index);
    if (!load) continue;
    lines.push(
      `| ${result.side.name} | ${fmt(load.serverCores, 2)} | ${fmt(load.benchCores, 2)} | ${fmt(load.otherCores, 2)} | ${redisText(load)} | ${fmt(load.frameBytes)} | ${lostText(load.lost)} |`,
    );
  }
  return lines.join('\n');
}

/** The diagnostic runs beside our gateway's default runs: what the periodic session writes cost. */
export function sessionCostTable(results: readonly SideResult[]): string {
  const ours = byId(results, 'gateway');
  const diagnostic = byId(results, 'gateway-no-session-writes');
  if (!ours || !diagnostic) return '';
  const lines = [
    '### What the gateway\'s session writes cost (diagnostic)',
    'The same load runs on a second gateway process whose only change is `GATEWAY_SESSION_FLUSH_INTERVAL` (longer than the run, so no connection saves its session during a window).',
    '',
    '| gateway | clients | deliveries/s | p50 ms | p99 ms | server CPU s per 1M deliveries | server CPU (cores) | EVALSHA/s on Redis |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  ours.loads.forEach((load, i) => {
    for (const [label, run] of [
      ['default (session saved every 2 s)', load],
      [diagnostic.side.name.replace('streaming gateway, ', '').replace(' (diagnostic)', ''), diagnostic.loads[i]],
    ] as const) {
      if (!run) continue;
      lines.push(
        `| ${label} | ${fmt(run.clients)} | ${fmt(run.deliveriesPerSecond)} | ${ms(run.p50Ms)} | ${ms(run.p99Ms)} | ${fmt(run.cpuPerMillion, 2)} | ${fmt(run.serverCores, 2)} | ${fmt(commandRate(run, 'evalsha'))} |`,
      );
    }
  });
  return lines.join('\n');
}

/** KiB of RSS per idle connection. */
export function kibPerConnection(result: SideResult | undefined): number {
  if (!result?.memory) return NaN;
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
    `(RSS with ${n} idle connections − RSS with none, after a warm-up) ÷ connections, from VmRSS in /proc/<pid>/status.`,
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

/** The closing sentences: measured facts from the tables, side by side. */
export function explanation(results: readonly SideResult[], settings: RunSettings): string {
  const [ours, peer, limit, diagnostic] = ['gateway', 'peer', 'limit', 'gateway-no-session-writes'].map((id) => byId(results, id));
  if (!ours || !peer || !limit || settings.loads.length < 2) return '';
  const run = (i: number) => ({ o: loadAt(ours, i), p: loadAt(peer, i), l: loadAt(limit, i), d: loadAt(diagnostic, i) });
  const big = run(0);
  const small = run(1);
  if (!big.o || !big.p || !big.l || !small.o || !small.p || !small.l) return '';
  const cpu = (o: LoadResult, p: LoadResult, l: LoadResult): string =>
    `${fmt(o.cpuPerMillion, 1)} CPU s per million deliveries at ${fmt(o.clients)} clients (${fmt(o.cpuPerMillion / l.cpuPerMillion, 2)}× the limit, ${fmt(o.cpuPerMillion / p.cpuPerMillion, 2)}× the peer)`;
  const sessions = big.d
    ? ` With no session write in the window the same gateway needed ${fmt(big.d.cpuPerMillion, 1)} CPU s per million at ${fmt(big.d.clients)} clients${small.d ? ` and ${fmt(small.d.cpuPerMillion, 1)} at ${fmt(small.d.clients)}` : ''}.`
    : '';
  return [
    `Our gateway spent ${cpu(big.o, big.p, big.l)} and ${cpu(small.o, small.p, small.l)}.`,
    `Besides the sends it ran ${fmt(commandRate(big.o, 'evalsha'))} EVALSHA/s on Redis at ${fmt(big.o.clients)} clients and ${fmt(commandRate(small.o, 'evalsha'))} at ${fmt(small.o.clients)}: ` +
      'while events flow every connection saves its session positions every 2 s (`GATEWAY_SESSION_FLUSH_INTERVAL`), work that grows with connections, not with messages, and that neither the peer nor the limit does.' +
      sessions,
    `Latency grows with the clients on all three sides (the limit's p50 was ${fmt(small.l.p50Ms, 1)} ms at ${fmt(small.l.clients)} clients and ${fmt(big.l.p50Ms, 1)} ms at ${fmt(big.l.clients)}), ` +
      'since each server writes one message to every socket in one pass before the next.',
    `An idle connection held ${fmt(kibPerConnection(ours), 1)} KiB of the gateway's RSS, ${fmt(kibPerConnection(peer), 1)} KiB of the peer's and ${fmt(kibPerConnection(limit), 1)} KiB of the limit's.`,
  ].join(' ');
}
