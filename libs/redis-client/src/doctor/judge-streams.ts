import { STREAMS, dlqKey, type StreamName } from '../events/streams';
import type { DoctorCheck, DoctorStreamReport } from './doctor-report';
import type { DoctorThresholds } from './doctor-thresholds';

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

function knownMaxLen(stream: string, prefix: string): number | undefined {
  const name = stream.startsWith(prefix) ? stream.slice(prefix.length) : stream;
  return Object.prototype.hasOwnProperty.call(STREAMS, name) ? STREAMS[name as StreamName].maxLen : undefined;
}

function streamCheck(report: DoctorStreamReport, thresholds: DoctorThresholds, prefix: string): DoctorCheck {
  const { stream } = report;
  const base = { id: `stream.${stream}`, title: `Stream ${stream}` };
  if (report.error) {
    const wrongType = report.error.includes('not a stream');
    return {
      ...base,
      status: wrongType ? 'fail' : 'warn',
      detail: wrongType ? report.error : `could not be read: ${report.error}`,
      fix: wrongType
        ? `Something else uses this key name: look at it with \`redis-cli TYPE ${stream}\`, then rename or delete it, or give the platform its own REDIS_STREAM_PREFIX.`
        : `Check the ACL permissions of the Redis user (XINFO, XLEN, TYPE on ${stream}) with \`redis-cli ACL WHOAMI\` / \`ACL GETUSER\`.`,
    };
  }
  if (!report.exists) {
    return { ...base, status: 'ok', detail: 'not created yet (its first XADD or consumer group creates it)' };
  }

  const groups = report.groups.map((g) => `${g.name} (pending ${g.pending}, lag ${g.lag ?? 'unknown'})`);
  const detail = `${plural(report.length, 'entry', 'entries')}, ${
    groups.length ? `${plural(groups.length, 'group')}: ${groups.join(', ')}` : 'no consumer group yet'
  }`;
  const behind = report.groups.filter((g) => g.lag !== null && g.lag > thresholds.lagWarn);
  const stuck = report.groups.filter((g) => g.pending > thresholds.pendingWarn);
  const problems: string[] = [];
  const fixes: string[] = [];
  if (behind.length) {
    problems.push(`${behind.map((g) => g.name).join(', ')} more than ${thresholds.lagWarn} entries behind`);
    fixes.push(
      `A lagging group reads slower than producers write, or its consumers are down: check that the service runs and look at \`redis-cli XINFO GROUPS ${stream}\`.`,
    );
  }
  if (stuck.length) {
    problems.push(`${stuck.map((g) => g.name).join(', ')} with more than ${thresholds.pendingWarn} unacknowledged entries`);
    fixes.push(
      `Pending entries were delivered but never acknowledged (a consumer crashed or is stuck); they are reclaimed after the claim timeout. Inspect them with \`redis-cli XPENDING ${stream} <group> - + 10\`.`,
    );
  }
  const maxLen = knownMaxLen(stream, prefix);
  if (maxLen !== undefined && report.length > 2 * maxLen) {
    problems.push(`${report.length} entries, more than twice its MAXLEN ~ ${maxLen}`);
    fixes.push(`Producers must trim on write: \`XADD ${stream} MAXLEN ~ ${maxLen} * ...\` (the library's publisher does).`);
  }
  if (problems.length === 0) return { ...base, status: 'ok', detail };
  return { ...base, status: 'warn', detail: `${detail}; ${problems.join('; ')}`, fix: fixes.join('\n') };
}

function dlqCheck(reports: DoctorStreamReport[]): DoctorCheck {
  const base = { id: 'streams.dlq', title: 'Dead-letter streams' };
  const full = reports.filter((r) => (r.dlqLength ?? 0) > 0);
  if (full.length === 0) {
    return { ...base, status: 'ok', detail: `all ${reports.length} dead-letter streams are empty` };
  }
  const first = dlqKey(full[0].stream);
  return {
    ...base,
    status: 'warn',
    detail: full.map((r) => `${dlqKey(r.stream)} holds ${plural(r.dlqLength ?? 0, 'entry', 'entries')}`).join(', '),
    fix: [
      'Events that failed validation or failed processing too many times wait there with their reason.',
      `Inspect them: redis-cli XRANGE ${first} - + COUNT 10`,
      `Once handled, empty it: redis-cli XTRIM ${first} MAXLEN 0`,
    ].join('\n'),
  };
}

/**
 * Turns stream reports into checks: one per stream (missing is fine, a key of another type
 * fails, lag/pending above the thresholds or an untrimmed stream warn) and one for all the
 * dead-letter streams (non-empty warns, with how to inspect them). Pure.
 */
export function judgeStreams(reports: DoctorStreamReport[], thresholds: DoctorThresholds, prefix = ''): DoctorCheck[] {
  return [...reports.map((report) => streamCheck(report, thresholds, prefix)), dlqCheck(reports)];
}
