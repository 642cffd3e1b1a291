import type { HealthSnapshot, HealthStatus } from './health-snapshot';

/** The service name `system_status` events use for the system as a whole. */
export const SYSTEM_SCOPE = 'system';

/** Something whose status is tracked: the system, a service, or one instance of a service. */
export interface ScopeStatus {
  /** Unique key: `system`, `service:<name>` or `instance:<service>/<instance>`. */
  key: string;
  /** `system`, or the service name. */
  service: string;
  /** The instance, for instance scopes. */
  instance?: string;
  /** Its status now. */
  status: HealthStatus;
  /** Why, for people. */
  reason: string;
}

/** A status change to announce. */
export interface Transition extends ScopeStatus {
  /** The status before; undefined the first time a scope is seen. */
  previous?: HealthStatus;
}

/** The statuses a snapshot assigns: the system, each service and each of its instances. */
export function scopeStatuses(snapshot: Pick<HealthSnapshot, 'status' | 'reason' | 'services'>): ScopeStatus[] {
  const scopes: ScopeStatus[] = [{ key: SYSTEM_SCOPE, service: SYSTEM_SCOPE, status: snapshot.status, reason: snapshot.reason }];
  for (const service of snapshot.services) {
    scopes.push({ key: `service:${service.service}`, service: service.service, status: service.status, reason: service.reason });
    for (const instance of service.instances) {
      const reason =
        instance.status === 'down'
          ? `${service.service}/${instance.instance}: no heartbeat for ${instance.secondsSinceHeartbeat} s`
          : `${service.service}/${instance.instance} reports ${instance.status}`;
      scopes.push({ key: `instance:${service.service}/${instance.instance}`, service: service.service, instance: instance.instance, status: instance.status, reason });
    }
  }
  return scopes;
}

/**
 * The changes from `previous` (last announced status per scope key) to `current`. Pure. A
 * scope seen for the first time is a change only when it is not healthy (a new healthy
 * instance is no news); scopes absent from `current` are not changes.
 */
export function findTransitions(previous: ReadonlyMap<string, HealthStatus>, current: readonly ScopeStatus[]): Transition[] {
  const transitions: Transition[] = [];
  for (const scope of current) {
    const before = previous.get(scope.key);
    if (before === scope.status) continue;
    if (before === undefined && scope.status === 'healthy') continue;
    transitions.push(before === undefined ? { ...scope } : { ...scope, previous: before });
  }
  return transitions;
}
