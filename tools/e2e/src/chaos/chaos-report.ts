import type { ChaosReport } from './chaos-run';
import type { Percentiles } from './checks/percentiles';
import { describeFault } from './fault-schedule';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const tail = (p: Percentiles) => (p.count === 0 ? 'none' : `p50 ${p.p50} ms, p95 ${p.p95} ms, p99 ${p.p99} ms, max ${p.max} ms (${p.count} deliveries)`);

/** The report of a run as Markdown: what was injected, what was lost, and the latencies. */
export function formatChaosReport(report: ChaosReport): string {
  const d = report.deliveries;
  const lines = [
    `## Fault-injection run, seed ${report.seed}`,
    '',
    `${report.startedAt}, ${seconds(report.durationMs)} in all: calm ${seconds(report.options.calmMs)}, faults ${seconds(report.options.faultPhaseMs)}, ` +
      `${report.options.clients} clients on ${report.clients.count > 0 ? 'every client-facing stream' : 'no stream'}, ${report.options.symbols} driven symbols every ${report.options.tickMs} ms, simulator ${report.options.simulatorRate}/s.`,
    `Verdict: ${report.problems.length === 0 ? '**every promise kept**' : `**${report.problems.length} problem(s)**`}`,
    '',
    '| figure | value |',
    '|---|---|',
    `| events on the client-facing streams | ${report.events.published} (${Object.entries(report.events.byStream).map(([s, n]) => `${s} ${n}`).join(', ')}) |`,
    `| publishes retried through faults | ${report.events.publisherRetries} |`,
    `| deliveries expected / made | ${d.expected} / ${d.delivered} over ${d.channels} client channels |`,
    `| lost, duplicated, out of order, phantom | ${d.lost}, ${d.duplicates}, ${d.outOfOrder}, ${d.phantoms} |`,
    `| missed with \`recovered: false\` told | ${d.excused} |`,
    `| event frames sent twice on the wire (dropped by the client) | ${d.wireDuplicates} |`,
    `| client reconnects (resumed sessions) | ${report.clients.reconnects} (${report.clients.resumed}) |`,
    `| alerts expected / found | ${report.alerts.expected} / ${report.alerts.found} |`,
    `| alert service lag / pending after settling | ${report.consumption.lag} / ${report.consumption.pending} |`,
    `| poisoned entries injected / dead-lettered (extra copies) | ${report.deadLetters.injected} / ${report.deadLetters.matched} (${report.deadLetters.copies}) |`,
    `| other dead letters | ${report.deadLetters.unexpected.length} |`,
    `| ACL refusals, secrets in logs | ${report.aclRefusals}, ${report.secretLeaks.length} |`,
    `| Redis memory before / after | ${mib(report.resources.before.redisUsedMemory)} / ${mib(report.resources.after.redisUsedMemory)} |`,
    `| Redis keys before → after, by family | ${keyLine(report.resources.before.keys, report.resources.after.keys)} |`,
    `| replica RSS after (MiB) | ${Object.entries(report.resources.after.rssKiB).map(([n, k]) => `${n} ${Math.round(k / 1024)}`).join(', ')} |`,
    `| price publish → client, calm | ${tail(report.latency.priceCalm)} |`,
    `| price publish → client, with faults | ${tail(report.latency.priceFaults)} |`,
    `| alert raised → client, calm | ${tail(report.latency.alertCalm)} |`,
    `| alert raised → client, with faults | ${tail(report.latency.alertFaults)} |`,
    '',
    'Faults (start after the calm phase, kind, target, hold; how long the action took; then how long until every service was ready and every client connected again):',
    '',
    ...report.faults.map((record, index) => `${index + 1}. ${describeFault(record.fault)}: took ${seconds(record.endedAtMs - record.startedAtMs)}, recovered ${seconds(report.recoveryMs[index] ?? 0)} after`),
  ];
  if (report.problems.length > 0) lines.push('', 'Problems:', '', ...report.problems.map((problem) => `- ${problem}`));
  return lines.join('\n');
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function keyLine(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): string {
  return Object.keys(after)
    .filter((family) => (before[family] ?? 0) + (after[family] ?? 0) > 0)
    .map((family) => `${family} ${before[family] ?? 0} → ${after[family]}`)
    .join(', ');
}
