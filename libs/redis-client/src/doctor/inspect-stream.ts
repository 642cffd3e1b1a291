import type { RedisConnection } from '../connection/redis-connection';
import { dlqKey } from '../events/streams';
import type { DoctorGroupReport, DoctorStreamReport } from './doctor-report';
import { errorMessage, parseFlatMap, toNumberOrNull } from '../replies/parse-redis-reply';
import type { Deadline } from './with-deadline';

function entryId(entry: unknown): string | undefined {
  return Array.isArray(entry) && entry.length > 0 ? String(entry[0]) : undefined;
}

function toGroup(reply: unknown): DoctorGroupReport {
  const fields = parseFlatMap(reply);
  return {
    name: String(fields['name']),
    consumers: toNumberOrNull(fields['consumers']) ?? 0,
    pending: toNumberOrNull(fields['pending']) ?? 0,
    // Redis 7.0+ reports lag, nil when it cannot compute it; older servers do not report it.
    lag: toNumberOrNull(fields['lag']),
    lastDeliveredId: String(fields['last-delivered-id']),
  };
}

/**
 * Reads one stream with XINFO STREAM / XINFO GROUPS and the length of its `<stream>:dlq`.
 * A missing key is reported with `exists: false`; a key of another type or a failing command
 * is reported in `error`. Never throws. Single-key commands only, so it works through a Cluster.
 */
export async function inspectStream(
  connection: RedisConnection,
  stream: string,
  deadline: Deadline,
): Promise<DoctorStreamReport> {
  const report: DoctorStreamReport = { stream, exists: false, length: 0, groups: [], dlqLength: null };
  const dlq = dlqKey(stream);
  try {
    const dlqType = await deadline.within(connection.type(dlq), `TYPE ${dlq}`);
    if (dlqType === 'none') report.dlqLength = 0;
    else if (dlqType === 'stream') report.dlqLength = await deadline.within(connection.xlen(dlq), `XLEN ${dlq}`);
    else report.error = `${dlq} holds a ${dlqType}, not a stream`;
  } catch (error) {
    report.error = `${dlq}: ${errorMessage(error)}`;
  }
  try {
    const type = await deadline.within(connection.type(stream), `TYPE ${stream}`);
    if (type === 'none') return report;
    report.exists = true;
    if (type !== 'stream') {
      report.error = `${stream} holds a ${type}, not a stream`;
      return report;
    }
    const info = parseFlatMap(await deadline.within(connection.call('XINFO', 'STREAM', stream), `XINFO STREAM ${stream}`));
    report.length = toNumberOrNull(info['length']) ?? 0;
    report.firstId = entryId(info['first-entry']);
    report.lastId = entryId(info['last-entry']);
    const groups = await deadline.within(connection.call('XINFO', 'GROUPS', stream), `XINFO GROUPS ${stream}`);
    report.groups = Array.isArray(groups) ? groups.map(toGroup) : [];
  } catch (error) {
    report.error = [report.error, `${stream}: ${errorMessage(error)}`].filter(Boolean).join('; ');
  }
  return report;
}
