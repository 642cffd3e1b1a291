import { STATUS_SEVERITY } from '../status';
import type { SnapshotMetric } from './snapshot-metric';

/** The monitor's own verdicts as metrics: `rebal_health_*`. Status values: 0 healthy, 1 degraded, 2 down. */
export const HEALTH_METRICS: readonly SnapshotMetric[] = [
  {
    name: 'rebal_health_status',
    help: 'Status of the system (scope="system") and of each service (scope="<service>"): 0 healthy, 1 degraded, 2 down',
    type: 'gauge',
    labelNames: ['scope'],
    *samples(snapshot) {
      yield [{ scope: 'system' }, STATUS_SEVERITY[snapshot.status]];
      for (const service of snapshot.services) yield [{ scope: service.service }, STATUS_SEVERITY[service.status]];
    },
  },
  {
    name: 'rebal_health_reasons',
    help: 'Current findings that make the system not healthy, by code and severity',
    type: 'gauge',
    labelNames: ['code', 'status'],
    *samples(snapshot) {
      const counts = new Map<string, number>();
      for (const reason of snapshot.reasons) counts.set(`${reason.code}\n${reason.status}`, (counts.get(`${reason.code}\n${reason.status}`) ?? 0) + 1);
      for (const [key, count] of counts) {
        const [code, status] = key.split('\n');
        yield [{ code, status }, count];
      }
    },
  },
  {
    name: 'rebal_health_instance_status',
    help: 'Status of each service instance from its heartbeats: 0 healthy, 1 degraded, 2 down (no heartbeat within the timeout)',
    type: 'gauge',
    labelNames: ['service', 'instance'],
    *samples(snapshot) {
      for (const s of snapshot.services) for (const i of s.instances) yield [{ service: s.service, instance: i.instance }, STATUS_SEVERITY[i.status]];
    },
  },
  {
    name: 'rebal_health_instance_last_heartbeat_timestamp_seconds',
    help: 'Unix time of the last heartbeat of each service instance',
    type: 'gauge',
    labelNames: ['service', 'instance'],
    *samples(snapshot) {
      for (const s of snapshot.services) for (const i of s.instances) yield [{ service: s.service, instance: i.instance }, Date.parse(i.lastHeartbeatAt) / 1000];
    },
  },
  {
    name: 'rebal_health_instance_uptime_seconds',
    help: 'Uptime each service instance reported in its last heartbeat',
    type: 'gauge',
    labelNames: ['service', 'instance'],
    *samples(snapshot) {
      for (const s of snapshot.services) for (const i of s.instances) yield [{ service: s.service, instance: i.instance }, i.uptimeSeconds];
    },
  },
  {
    name: 'rebal_health_instance_info',
    help: 'Version each service instance reports (always 1)',
    type: 'gauge',
    labelNames: ['service', 'instance', 'version'],
    *samples(snapshot) {
      for (const s of snapshot.services) for (const i of s.instances) yield [{ service: s.service, instance: i.instance, version: i.version }, 1];
    },
  },
  {
    name: 'rebal_health_last_check_timestamp_seconds',
    help: 'Unix time of the last completed check',
    type: 'gauge',
    labelNames: [],
    *samples(snapshot) {
      yield [{}, Date.parse(snapshot.checkedAt) / 1000];
    },
  },
];
