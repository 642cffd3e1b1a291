import { requestJson, type FetchLike } from './api-error';

/**
 * The health monitor's `GET /api/v1/status` (apps/health-monitor/README.md, "HTTP"): the latest
 * snapshot as JSON. Sent without a token (the status is the same for everyone) and without
 * custom headers, so the browser needs no preflight; the monitor answers the console's origin
 * with CORS (`CORS_ORIGINS`). Rejects with `ApiError` (`no_snapshot` before its first check).
 */
export class HealthApi {
  private readonly fetch: FetchLike;

  /** @param baseUrl the monitor's API base URL, e.g. `http://127.0.0.1:8082/api/v1` (no trailing slash) */
  constructor(
    readonly baseUrl: string,
    fetch?: FetchLike,
  ) {
    this.fetch = fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** The latest snapshot, unparsed (see `healthFromSnapshot`). */
  status(): Promise<unknown> {
    return requestJson(this.fetch, `${this.baseUrl}/status`, { method: 'GET', headers: {} }, 'health monitor');
  }
}
