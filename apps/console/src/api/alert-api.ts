import { toAlertView, type AlertView } from '../alerts/alert-view-model';
import { ApiError, requestJson, type FetchLike } from './api-error';

/** Options of {@link AlertApi}. */
export interface AlertApiOptions {
  /** Base URL ending in `/api/v1` (no trailing slash). */
  readonly baseUrl: string;
  /** Bearer token sent in `Authorization`. */
  readonly token: string;
  /** The fetch implementation (default `globalThis.fetch`). */
  readonly fetch?: FetchLike;
  /** Page size of list calls (default 100). */
  readonly pageSize?: number;
  /** Most pages read per status (default 10). */
  readonly maxPages?: number;
}

/** The statuses of alerts that are still active (shown with action buttons). */
export const ACTIVE_STATUSES = ['firing', 'acknowledged', 'snoozed'] as const;

/** Rule kinds (`kind` of a rule, `type` of its alerts). */
export const RULE_KINDS = ['price_threshold', 'price_change', 'portfolio_drift', 'risk_threshold', 'service_health'] as const;
/** A rule kind. */
export type RuleKind = (typeof RULE_KINDS)[number];

/** A stored rule as `GET /rules` returns it (every default applied); the fields of its kind besides the common ones. */
export interface RuleJson {
  readonly id: string;
  readonly name: string;
  readonly kind: RuleKind;
  readonly enabled: boolean;
  readonly severities: Readonly<Partial<Record<'S1' | 'S2' | 'S3', number>>>;
  readonly [field: string]: unknown;
}

/** One change of an alert (`GET /alerts/{id}/history`), oldest first. */
export interface AlertChangeView {
  /** `alert.raised`, `alert.updated`, `alert.acknowledged`, ... */
  readonly type: string;
  /** `rule:<id>`, `user:<sub>` or `system`. */
  readonly actor: string;
  /** When it happened, ms since the epoch. */
  readonly at: number;
  /** Whether webhook targets were told. */
  readonly notify: boolean;
  /** Why it was not notified: `silence`, `snooze`, `rate_limit` or `budget`. */
  readonly suppressedBy: string | undefined;
  /** The alert after the change. */
  readonly alert: AlertView;
}

/** A silence matcher. */
export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  readonly isEqual: boolean;
}

/** A silence, times as ms since the epoch. */
export interface SilenceView {
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly state: 'pending' | 'active' | 'expired';
}

/** The body of `POST /silences`. */
export interface SilenceInput {
  readonly matchers: ReadonlyArray<{ readonly name: string; readonly value: string; readonly isRegex?: boolean; readonly isEqual?: boolean }>;
  /** RFC 3339 or epoch ms; default now. */
  readonly startsAt?: string;
  /** RFC 3339 or epoch ms. */
  readonly endsAt: string;
  readonly comment: string;
}

const SILENCE_STATES: ReadonlySet<string> = new Set(['pending', 'active', 'expired']);

function items(body: unknown, what: string): unknown[] {
  const list = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(list)) throw new ApiError('invalid_response', 200, `the ${what} list has no items`);
  return list;
}

function toSilence(input: unknown): SilenceView | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const s = input as Record<string, unknown>;
  const startsAt = typeof s['startsAt'] === 'string' ? Date.parse(s['startsAt']) : NaN;
  const endsAt = typeof s['endsAt'] === 'string' ? Date.parse(s['endsAt']) : NaN;
  if (typeof s['id'] !== 'string' || !Array.isArray(s['matchers']) || typeof s['state'] !== 'string' || !SILENCE_STATES.has(s['state'])) return undefined;
  if (!Number.isFinite(startsAt) || !Number.isFinite(endsAt)) return undefined;
  const matchers = (s['matchers'] as unknown[]).flatMap((m) => {
    const { name, value, isRegex, isEqual } = (typeof m === 'object' && m !== null ? m : {}) as Record<string, unknown>;
    return typeof name === 'string' && typeof value === 'string' ? [{ name, value, isRegex: isRegex === true, isEqual: isEqual !== false }] : [];
  });
  return {
    id: s['id'],
    matchers,
    startsAt,
    endsAt,
    createdBy: typeof s['createdBy'] === 'string' ? s['createdBy'] : '',
    comment: typeof s['comment'] === 'string' ? s['comment'] : '',
    state: s['state'] as SilenceView['state'],
  };
}

function toRule(input: unknown): RuleJson | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const r = input as Record<string, unknown>;
  if (typeof r['id'] !== 'string' || typeof r['name'] !== 'string' || typeof r['kind'] !== 'string' || !(RULE_KINDS as readonly string[]).includes(r['kind'])) return undefined;
  const severities = typeof r['severities'] === 'object' && r['severities'] !== null ? r['severities'] : {};
  return { ...r, id: r['id'], name: r['name'], kind: r['kind'] as RuleKind, enabled: r['enabled'] !== false, severities } as RuleJson;
}

function toChange(input: unknown): AlertChangeView | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const c = input as Record<string, unknown>;
  const alert = toAlertView(c['alert']);
  const at = typeof c['at'] === 'string' ? Date.parse(c['at']) : NaN;
  if (alert === undefined || typeof c['type'] !== 'string' || !Number.isFinite(at)) return undefined;
  return {
    type: c['type'],
    actor: typeof c['actor'] === 'string' ? c['actor'] : '',
    at,
    notify: c['notify'] === true,
    suppressedBy: typeof c['suppressedBy'] === 'string' ? c['suppressedBy'] : undefined,
    alert,
  };
}

/**
 * The alert service's REST API (docs/api.md, its OpenAPI document) as the console uses it:
 * alerts and their actions and history, rules, silences. Every call sends the bearer token;
 * failures reject with {@link ApiError} (`fields` set for `400 invalid_request`).
 */
export class AlertApi {
  private readonly fetch: FetchLike;

  constructor(private readonly options: AlertApiOptions) {
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** The API base URL. */
  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Every active alert (firing, acknowledged, snoozed), following `nextCursor` up to `maxPages` per status. */
  async listActive(): Promise<AlertView[]> {
    const pages = await Promise.all(ACTIVE_STATUSES.map((status) => this.listAlerts({ status })));
    return pages.flat();
  }

  /** `GET /alerts` with a `status` (and optional `limit` and one `label=name=value`), following cursors up to `maxPages`, or one page when `limit` is given. */
  async listAlerts(query: { status: string; limit?: number; label?: string }): Promise<AlertView[]> {
    const alerts: AlertView[] = [];
    let cursor: string | undefined;
    const pages = query.limit === undefined ? (this.options.maxPages ?? 10) : 1;
    for (let page = 0; page < pages; page++) {
      const params = new URLSearchParams({ status: query.status, limit: String(query.limit ?? this.options.pageSize ?? 100) });
      if (query.label !== undefined) params.append('label', query.label);
      if (cursor !== undefined) params.set('cursor', cursor);
      const body = (await this.call('GET', `/alerts?${params.toString()}`)) as { nextCursor?: unknown };
      for (const item of items(body, 'alert')) {
        const alert = toAlertView(item);
        if (alert) alerts.push(alert);
      }
      cursor = typeof body.nextCursor === 'string' && body.nextCursor ? body.nextCursor : undefined;
      if (cursor === undefined) break;
    }
    return alerts;
  }

  /** `GET /alerts/{id}/history`: every change of the alert, oldest first. */
  async history(id: string): Promise<AlertChangeView[]> {
    const body = await this.call('GET', `/alerts/${encodeURIComponent(id)}/history`);
    return items(body, 'history').flatMap((item) => toChange(item) ?? []);
  }

  /** `POST /alerts/{id}/acknowledge`; resolves with the alert after the change. */
  acknowledge(id: string): Promise<AlertView> {
    return this.action(id, 'acknowledge');
  }

  /** `POST /alerts/{id}/snooze` with `{minutes}`; resolves with the alert after the change. */
  snooze(id: string, minutes: number): Promise<AlertView> {
    return this.action(id, 'snooze', { minutes });
  }

  /** `POST /alerts/{id}/resolve`; resolves with the alert after the change. */
  resolve(id: string): Promise<AlertView> {
    return this.action(id, 'resolve');
  }

  /** `GET /rules`, in id order. */
  async listRules(): Promise<RuleJson[]> {
    const body = await this.call('GET', '/rules');
    return items(body, 'rule')
      .flatMap((item) => toRule(item) ?? [])
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** `POST /rules` (`409 rule_exists` when the id is taken); resolves with the stored rule. */
  createRule(rule: Readonly<Record<string, unknown>>): Promise<RuleJson> {
    return this.ruleCall('POST', '/rules', rule);
  }

  /** `PUT /rules/{id}`: replaces the rule with `rule` (the whole body, without `id`). */
  replaceRule(id: string, rule: Readonly<Record<string, unknown>>): Promise<RuleJson> {
    return this.ruleCall('PUT', `/rules/${encodeURIComponent(id)}`, rule);
  }

  /** `GET /silences` (every state), newest end first. */
  async listSilences(): Promise<SilenceView[]> {
    const body = await this.call('GET', '/silences');
    return items(body, 'silence')
      .flatMap((item) => toSilence(item) ?? [])
      .sort((a, b) => b.endsAt - a.endsAt);
  }

  /** `POST /silences`; resolves with the stored silence. */
  async createSilence(input: SilenceInput): Promise<SilenceView> {
    const silence = toSilence(await this.call('POST', '/silences', input));
    if (silence === undefined) throw new ApiError('invalid_response', 200, 'the answer is not a silence');
    return silence;
  }

  /** `DELETE /silences/{id}`: expires it at once. */
  async expireSilence(id: string): Promise<void> {
    await this.call('DELETE', `/silences/${encodeURIComponent(id)}`);
  }

  private async ruleCall(method: 'POST' | 'PUT', path: string, body: object): Promise<RuleJson> {
    const rule = toRule(await this.call(method, path, body));
    if (rule === undefined) throw new ApiError('invalid_response', 200, 'the answer is not a rule');
    return rule;
  }

  private async action(id: string, action: 'acknowledge' | 'snooze' | 'resolve', body?: object): Promise<AlertView> {
    const answer = await this.call('POST', `/alerts/${encodeURIComponent(id)}/${action}`, body);
    const alert = toAlertView(answer);
    if (alert === undefined) throw new ApiError('invalid_response', 200, `the ${action} answer is not an alert`);
    return alert;
  }

  private call(method: string, path: string, body?: object): Promise<unknown> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return requestJson(this.fetch, `${this.options.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }, 'alert service');
  }
}
