import type { InstanceRecord } from '../collectors';
import type { HealthStatus, InstanceStatusReport, ServiceStatusReport } from './health-snapshot';

/** Input of {@link evaluateServices}. */
export interface EvaluateServicesInput {
  /** Every instance in the heartbeat registry. */
  records: readonly InstanceRecord[];
  /** Services that must be running. */
  expected: readonly string[];
  /** Now, Unix ms. */
  nowMs: number;
  /** Silent this long: down (ms). */
  timeoutMs: number;
  /** Silent this long: gone, left out of the report and reaped (ms). */
  goneAfterMs: number;
  /**
   * Since when heartbeats could reach the monitor (its start, or Redis's return after an
   * outage), Unix ms. Silence before then is not the instance's fault: an instance is judged
   * from the later of its last heartbeat and this time.
   */
  observingSinceMs: number;
}

/** How long an instance has been silent, not counting time the monitor could not observe. */
export function silenceMs(record: Pick<InstanceRecord, 'lastSeenMs'>, nowMs: number, observingSinceMs: number): number {
  return nowMs - Math.max(record.lastSeenMs, observingSinceMs);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function instanceReport(record: InstanceRecord, input: EvaluateServicesInput): InstanceStatusReport {
  const silent = silenceMs(record, input.nowMs, input.observingSinceMs);
  const status: HealthStatus = silent > input.timeoutMs ? 'down' : record.status;
  return {
    instance: record.instance,
    status,
    version: record.version,
    startedAt: record.startedAt,
    uptimeSeconds: record.uptimeSeconds,
    lastHeartbeatAt: new Date(record.lastSeenMs).toISOString(),
    secondsSinceHeartbeat: Math.max(0, Math.round((input.nowMs - record.lastSeenMs) / 100) / 10),
    ...(record.details && { details: record.details }),
  };
}

function judge(service: string, instances: InstanceStatusReport[], knownButGone: boolean, input: EvaluateServicesInput): Pick<ServiceStatusReport, 'status' | 'reason'> {
  const down = instances.filter((i) => i.status === 'down');
  const degraded = instances.filter((i) => i.status === 'degraded');
  const live = instances.length - down.length;
  if (instances.length === 0) {
    return knownButGone
      ? { status: 'down', reason: `${service}: no instance has sent a heartbeat for more than ${seconds(input.goneAfterMs)}` }
      : { status: 'down', reason: `${service}: expected, but no instance has ever sent a heartbeat` };
  }
  if (live === 0) {
    return { status: 'down', reason: `${service}: all ${instances.length} instance(s) down (no heartbeat for more than ${seconds(input.timeoutMs)}): ${down.map((i) => i.instance).join(', ')}` };
  }
  const problems = [
    ...down.map((i) => `${i.instance} down (no heartbeat for ${i.secondsSinceHeartbeat} s)`),
    ...degraded.map((i) => `${i.instance} reports degraded`),
  ];
  if (problems.length > 0) return { status: 'degraded', reason: `${service}: ${live} of ${instances.length} instance(s) up; ${problems.join('; ')}` };
  return { status: 'healthy', reason: `${service}: ${instances.length} instance(s) up` };
}

/**
 * Turns the heartbeat registry into per-service and per-instance statuses. Pure.
 * - An instance is `down` when silent longer than `timeoutMs`, else what it reports.
 * - An instance silent longer than `goneAfterMs` is gone: left out (its service stays known).
 * - A service is `down` without a live instance (all down, all gone, or expected and never
 *   seen), `degraded` when an instance is down or reports degraded, else `healthy`. An
 *   expected service never seen is listed only once the monitor has observed for `timeoutMs`.
 * Services are sorted by name, instances by id.
 */
export function evaluateServices(input: EvaluateServicesInput): ServiceStatusReport[] {
  const byService = new Map<string, InstanceRecord[]>();
  // An expected service is only missing once the monitor has listened for a whole timeout.
  if (input.nowMs - input.observingSinceMs > input.timeoutMs) for (const name of input.expected) byService.set(name, []);
  for (const record of input.records) {
    const list = byService.get(record.service) ?? [];
    list.push(record);
    byService.set(record.service, list);
  }
  const expected = new Set(input.expected);
  return [...byService.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([service, records]) => {
      const present = records.filter((r) => silenceMs(r, input.nowMs, input.observingSinceMs) <= input.goneAfterMs);
      const instances = present.map((r) => instanceReport(r, input)).sort((a, b) => a.instance.localeCompare(b.instance));
      return { service, ...judge(service, instances, records.length > 0, input), expected: expected.has(service), instances };
    });
}
