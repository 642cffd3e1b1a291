import type { CloudEvent } from '@rebal/gateway-client';

/** A service's health status, as `system_status` events report it. */
export type HealthStatus = 'healthy' | 'degraded' | 'down';

/** The latest reported health of one service. */
export interface ServiceHealth {
  /** Service name, e.g. `alert-service`. */
  readonly service: string;
  /** The instance that reported, when given. */
  readonly instance: string | undefined;
  /** The status. */
  readonly status: HealthStatus;
  /** Why (from the event). */
  readonly reason: string;
  /** When it was reported (the event's `time`), ms since the epoch. */
  readonly updatedAt: number;
}

const STATUSES: ReadonlySet<string> = new Set(['healthy', 'degraded', 'down']);

/** The health a `system_status` event reports; undefined for any other or malformed event. */
export function healthFromEvent(event: CloudEvent): ServiceHealth | undefined {
  if (event.type !== 'system_status' || typeof event.data !== 'object' || event.data === null) return undefined;
  const data = event.data as { service?: unknown; instance?: unknown; status?: unknown; reason?: unknown };
  if (typeof data.service !== 'string' || data.service.length === 0 || typeof data.status !== 'string' || !STATUSES.has(data.status)) return undefined;
  const time = Date.parse(event.time);
  return {
    service: data.service,
    instance: typeof data.instance === 'string' ? data.instance : undefined,
    status: data.status as HealthStatus,
    reason: typeof data.reason === 'string' ? data.reason : '',
    updatedAt: Number.isFinite(time) ? time : Date.now(),
  };
}

/** The services' health after `health` arrived: it replaces the service's entry unless that one is newer. */
export function reduceHealth(state: ReadonlyMap<string, ServiceHealth>, health: ServiceHealth): Map<string, ServiceHealth> {
  const next = new Map(state);
  const current = state.get(health.service);
  if (current === undefined || health.updatedAt >= current.updatedAt) next.set(health.service, health);
  return next;
}

/** The services in name order. */
export function sortHealth(state: ReadonlyMap<string, ServiceHealth>): ServiceHealth[] {
  return [...state.values()].sort((a, b) => a.service.localeCompare(b.service));
}
