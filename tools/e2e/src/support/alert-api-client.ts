/** An alert as the alert service's REST API returns it (the fields the tests read). */
export interface AlertJson {
  readonly id: string;
  readonly ruleId: string;
  readonly status: 'firing' | 'acknowledged' | 'snoozed' | 'resolved';
  readonly severity: 'S1' | 'S2' | 'S3';
  readonly labels: Readonly<Record<string, string>>;
  readonly value?: number;
  readonly acknowledgedBy?: string;
  readonly snoozedUntil?: string;
  readonly [field: string]: unknown;
}

/** A non-2xx answer of the alert API; `body` is its problem+json text. */
export class AlertApiCallError extends Error {
  /** Stable code callers test. */
  readonly code = 'ERR_ALERT_API_CALL';

  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** The answer's body. */
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body.slice(0, 500)}`);
    this.name = 'AlertApiCallError';
  }
}

/**
 * A small client of the alert service's REST API (docs/api.md) for end-to-end tests: bearer
 * token auth, JSON in and out, and an {@link AlertApiCallError} for any non-2xx answer.
 */
export class AlertApiClient {
  /**
   * @param baseUrl the API base, e.g. `http://127.0.0.1:8081/api/v1` (no trailing slash)
   * @param token a JWT the service accepts
   */
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** `POST /rules` with `rule`; resolves with the stored rule. */
  createRule(rule: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.call('POST', '/rules', rule) as Promise<Record<string, unknown>>;
  }

  /** `GET /alerts` with the filters in `query` (e.g. `{label: 'rule=my-rule', status: 'firing'}`); resolves with the page's items. */
  async listAlerts(query: Record<string, string>): Promise<AlertJson[]> {
    const page = (await this.call('GET', `/alerts?${new URLSearchParams(query).toString()}`)) as { items: AlertJson[] };
    return page.items;
  }

  /** `GET /alerts/{id}`. */
  getAlert(id: string): Promise<AlertJson> {
    return this.call('GET', `/alerts/${encodeURIComponent(id)}`) as Promise<AlertJson>;
  }

  /** `POST /alerts/{id}/acknowledge`; resolves with the updated alert. */
  acknowledge(id: string): Promise<AlertJson> {
    return this.call('POST', `/alerts/${encodeURIComponent(id)}/acknowledge`) as Promise<AlertJson>;
  }

  /** `GET /alerts/{id}/history`: its changes, oldest first. */
  async history(id: string): Promise<Array<{ type: string; actor: string; suppressedBy?: string; alert: AlertJson }>> {
    const body = (await this.call('GET', `/alerts/${encodeURIComponent(id)}/history`)) as { items: Array<{ type: string; actor: string; suppressedBy?: string; alert: AlertJson }> };
    return body.items;
  }

  /** `GET /silences`: every silence, whatever its state. */
  async listSilences(): Promise<Array<{ id: string; state: string; comment: string; matchers: Array<{ name: string; value: string }> }>> {
    const body = (await this.call('GET', '/silences')) as { items: Array<{ id: string; state: string; comment: string; matchers: Array<{ name: string; value: string }> }> };
    return body.items;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      signal: AbortSignal.timeout(10_000),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new AlertApiCallError(response.status, text, `${method} ${path}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}
