import type { CloudEvent } from '@rebal/gateway-client';

/** A status as the health monitor reports it (its snapshot and `system_status` events). */
export type HealthStatus = 'healthy' | 'degraded' | 'down';

/** The latest known status of one scope: the system, a service or an instance (the monitor's scopes). */
export interface ScopeHealth {
  /** `system`, `service:<name>` or `instance:<service>/<instance>`, as the monitor keys them. */
  readonly key: string;
  /** `system`, or the service name. */
  readonly service: string;
  /** The instance, for instance scopes. */
  readonly instance: string | undefined;
  readonly status: HealthStatus;
  /** Why, for people. */
  readonly reason: string;
  /** When this was true: the snapshot's `checkedAt` or the event's `time`, ms since the epoch. */
  readonly updatedAt: number;
  /** `status` from `GET /api/v1/status`, `event` from a `system_status` event (a transition). */
  readonly source: 'status' | 'event';
}

/** One watched stream, as the health panel shows it. */
export interface StreamHealth {
  /** Stream name without the deployment prefix, e.g. `market_data`. */
  readonly name: string;
  readonly length: number;
  /** The largest lag of its consumer groups (entries not yet delivered); null when no group reports one. */
  readonly lag: number | null;
  /** Entries delivered and not acknowledged, over all groups. */
  readonly pending: number;
  /** Entries in its dead-letter stream `<stream>:dlq`. */
  readonly deadLetters: number;
  /** Past the monitor's lag threshold (or reported `group_lag` by it). */
  readonly lagWarning: boolean;
  /** Reported `pending_growing` by the monitor. */
  readonly pendingWarning: boolean;
  /** Any dead letter waits to be looked at. */
  readonly deadLetterWarning: boolean;
  /** The monitor could not read it. */
  readonly error: string | undefined;
}

/** The monitor's limits, from its snapshot's `thresholds` (absent from older monitors). */
export interface HealthThresholds {
  readonly maxLag: number;
  readonly pendingGrowthChecks: number;
  readonly memoryShare: number;
}

/** Everything the health panel shows. */
export interface HealthView {
  /** Latest status per scope key. */
  readonly scopes: ReadonlyMap<string, ScopeHealth>;
  /** The streams of the last snapshot, in name order; empty before one. */
  readonly streams: readonly StreamHealth[];
  readonly thresholds: HealthThresholds | undefined;
  /** When the last snapshot was taken, ms since the epoch. */
  readonly checkedAt: number | undefined;
}

/** The key of the system as a whole. */
export const SYSTEM_KEY = 'system';

/** No status known yet. */
export const EMPTY_HEALTH: HealthView = { scopes: new Map(), streams: [], thresholds: undefined, checkedAt: undefined };

const STATUSES: ReadonlySet<string> = new Set(['healthy', 'degraded', 'down']);
const isStatus = (value: unknown): value is HealthStatus => typeof value === 'string' && STATUSES.has(value);
const record = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function scopeKey(service: string, instance: string | undefined): string {
  if (service === SYSTEM_KEY) return SYSTEM_KEY;
  return instance === undefined ? `service:${service}` : `instance:${service}/${instance}`;
}

function streamHealth(input: unknown, reasons: ReadonlyArray<{ code: string; subject: string }>, thresholds: HealthThresholds | undefined): StreamHealth | undefined {
  const s = record(input);
  if (typeof s['name'] !== 'string') return undefined;
  const key = typeof s['key'] === 'string' ? s['key'] : s['name'];
  const groups = list(s['groups']).map(record);
  const lags = groups.flatMap((g) => num(g['lag']) ?? []);
  const lag = lags.length > 0 ? Math.max(...lags) : null;
  const about = (code: string) => reasons.some((r) => r.code === code && (r.subject === key || r.subject.startsWith(`${key}/`)));
  const deadLetters = num(record(s['dlq'])['length']) ?? 0;
  return {
    name: s['name'],
    length: num(s['length']) ?? 0,
    lag,
    pending: groups.reduce((sum, g) => sum + (num(g['pending']) ?? 0), 0),
    deadLetters,
    lagWarning: (lag !== null && thresholds !== undefined && lag > thresholds.maxLag) || about('group_lag'),
    pendingWarning: about('pending_growing'),
    deadLetterWarning: deadLetters > 0,
    error: typeof s['error'] === 'string' ? s['error'] : undefined,
  };
}

/**
 * The view after a snapshot of `GET /api/v1/status` (parsed defensively: unknown parts are
 * left out). Its scopes replace those known only when not older, so a transition that arrived
 * while the request was in flight is kept.
 */
export function applySnapshot(view: HealthView, snapshot: unknown): HealthView {
  const s = record(snapshot);
  const checkedAt = typeof s['checkedAt'] === 'string' ? Date.parse(s['checkedAt']) : NaN;
  if (!isStatus(s['status']) || !Number.isFinite(checkedAt)) return view;
  const t = record(s['thresholds']);
  const thresholds =
    num(t['maxLag']) !== undefined ? { maxLag: num(t['maxLag']) ?? 0, pendingGrowthChecks: num(t['pendingGrowthChecks']) ?? 0, memoryShare: num(t['memoryShare']) ?? 0 } : undefined;
  const found: ScopeHealth[] = [{ key: SYSTEM_KEY, service: SYSTEM_KEY, instance: undefined, status: s['status'], reason: typeof s['reason'] === 'string' ? s['reason'] : '', updatedAt: checkedAt, source: 'status' }];
  for (const service of list(s['services']).map(record)) {
    if (typeof service['service'] !== 'string' || !isStatus(service['status'])) continue;
    const name = service['service'];
    found.push({ key: scopeKey(name, undefined), service: name, instance: undefined, status: service['status'], reason: typeof service['reason'] === 'string' ? service['reason'] : '', updatedAt: checkedAt, source: 'status' });
    for (const instance of list(service['instances']).map(record)) {
      if (typeof instance['instance'] !== 'string' || !isStatus(instance['status'])) continue;
      const id = instance['instance'];
      const reason = instance['status'] === 'down' ? `no heartbeat for ${num(instance['secondsSinceHeartbeat']) ?? '?'} s` : `reports ${instance['status']}`;
      found.push({ key: scopeKey(name, id), service: name, instance: id, status: instance['status'], reason, updatedAt: checkedAt, source: 'status' });
    }
  }
  const scopes = new Map(view.scopes);
  for (const scope of found) {
    const current = scopes.get(scope.key);
    if (current === undefined || scope.updatedAt >= current.updatedAt) scopes.set(scope.key, scope);
  }
  const reasons = list(s['reasons']).flatMap((r) => {
    const { code, subject } = record(r);
    return typeof code === 'string' && typeof subject === 'string' ? [{ code, subject }] : [];
  });
  const streams = list(s['streams'])
    .flatMap((stream) => streamHealth(stream, reasons, thresholds) ?? [])
    .sort((a, b) => a.name.localeCompare(b.name));
  return { scopes, streams, thresholds, checkedAt };
}

/** The view after a `system_status` event (other events leave it as it is); an event older than the scope's known status is ignored. */
export function applyStatusEvent(view: HealthView, event: CloudEvent): HealthView {
  if (event.type !== 'system_status') return view;
  const data = record(event.data);
  if (typeof data['service'] !== 'string' || data['service'].length === 0 || !isStatus(data['status'])) return view;
  const time = Date.parse(event.time);
  const instance = typeof data['instance'] === 'string' && data['service'] !== SYSTEM_KEY ? data['instance'] : undefined;
  const scope: ScopeHealth = {
    key: scopeKey(data['service'], instance),
    service: data['service'],
    instance,
    status: data['status'],
    reason: typeof data['reason'] === 'string' ? data['reason'] : '',
    updatedAt: Number.isFinite(time) ? time : Date.now(),
    source: 'event',
  };
  const current = view.scopes.get(scope.key);
  if (current !== undefined && scope.updatedAt < current.updatedAt) return view;
  return { ...view, scopes: new Map(view.scopes).set(scope.key, scope) };
}

/** One service as listed: its own status when known, else the worst of its instances'. */
export interface ServiceRow {
  readonly service: string;
  readonly status: HealthStatus;
  readonly reason: string;
  readonly updatedAt: number;
  readonly instances: readonly ScopeHealth[];
}

const SEVERITY: Readonly<Record<HealthStatus, number>> = { healthy: 0, degraded: 1, down: 2 };

/** The services (not the system) in name order, each with its instances. */
export function serviceRows(view: HealthView): ServiceRow[] {
  const byService = new Map<string, { own?: ScopeHealth; instances: ScopeHealth[] }>();
  for (const scope of view.scopes.values()) {
    if (scope.key === SYSTEM_KEY) continue;
    const entry = byService.get(scope.service) ?? { instances: [] };
    if (scope.instance === undefined) entry.own = scope;
    else entry.instances.push(scope);
    byService.set(scope.service, entry);
  }
  return [...byService.entries()]
    .map(([service, { own, instances }]) => {
      const sorted = instances.sort((a, b) => (a.instance ?? '').localeCompare(b.instance ?? ''));
      const worst = sorted.reduce<ScopeHealth | undefined>((w, i) => (w === undefined || SEVERITY[i.status] > SEVERITY[w.status] ? i : w), undefined);
      const basis = own ?? worst;
      return {
        service,
        status: basis?.status ?? 'healthy',
        reason: own?.reason ?? (worst ? `${worst.instance}: ${worst.reason}` : ''),
        updatedAt: Math.max(basis?.updatedAt ?? 0, ...sorted.map((i) => i.updatedAt)),
        instances: sorted,
      };
    })
    .sort((a, b) => a.service.localeCompare(b.service));
}
