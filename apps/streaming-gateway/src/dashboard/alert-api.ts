import { toAlertView, type AlertView } from './alert-view-model';

/** A failed alert API call: `code` is the problem+json `code` (or `network_error`, `invalid_response`), `status` the HTTP status (0 without one). */
export class AlertApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AlertApiError';
  }
}

/** The `fetch` function the API client uses. */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string }) => Promise<{
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
}>;

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

/** The alert service's REST API as the dashboard uses it. */
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
    const pages = await Promise.all(ACTIVE_STATUSES.map((status) => this.listStatus(status)));
    return pages.flat();
  }

  /** `POST /alerts/:id/acknowledge`; resolves with the alert after the change. */
  acknowledge(id: string): Promise<AlertView> {
    return this.action(id, 'acknowledge');
  }

  /** `POST /alerts/:id/snooze` with `{minutes}`; resolves with the alert after the change. */
  snooze(id: string, minutes: number): Promise<AlertView> {
    return this.action(id, 'snooze', { minutes });
  }

  /** `POST /alerts/:id/resolve`; resolves with the alert after the change. */
  resolve(id: string): Promise<AlertView> {
    return this.action(id, 'resolve');
  }

  private async listStatus(status: string): Promise<AlertView[]> {
    const alerts: AlertView[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < (this.options.maxPages ?? 10); page++) {
      const query = new URLSearchParams({ status, limit: String(this.options.pageSize ?? 100), ...(cursor ? { cursor } : {}) });
      const body = (await this.call('GET', `/alerts?${query.toString()}`)) as { items?: unknown; nextCursor?: unknown };
      if (!Array.isArray(body.items)) throw new AlertApiError('invalid_response', 200, 'the alert list has no items');
      for (const item of body.items) {
        const alert = toAlertView(item);
        if (alert) alerts.push(alert);
      }
      cursor = typeof body.nextCursor === 'string' && body.nextCursor ? body.nextCursor : undefined;
      if (cursor === undefined) break;
    }
    return alerts;
  }

  private async action(id: string, action: 'acknowledge' | 'snooze' | 'resolve', body?: object): Promise<AlertView> {
    const answer = await this.call('POST', `/alerts/${encodeURIComponent(id)}/${action}`, body);
    const alert = toAlertView(answer);
    if (alert === undefined) throw new AlertApiError('invalid_response', 200, `the ${action} answer is not an alert`);
    return alert;
  }

  private async call(method: string, path: string, body?: object): Promise<unknown> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Awaited<ReturnType<FetchLike>>;
    try {
      response = await this.fetch(`${this.options.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (error) {
      throw new AlertApiError('network_error', 0, `the alert service is unreachable (${error instanceof Error ? error.message : String(error)})`);
    }
    const json: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const problem = (typeof json === 'object' && json !== null ? json : {}) as { code?: unknown; detail?: unknown; title?: unknown };
      const code = typeof problem.code === 'string' ? problem.code : `http_${response.status}`;
      const detail = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : `HTTP ${response.status}`;
      throw new AlertApiError(code, response.status, detail);
    }
    return json;
  }
}
