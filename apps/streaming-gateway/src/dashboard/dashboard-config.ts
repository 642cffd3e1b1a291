/** Path at which the gateway serves the dashboard's settings (`ServedDashboardConfig`), beside the page. */
export const DASHBOARD_CONFIG_PATH = '/dashboard-config.json';

/** What the gateway serves at {@link DASHBOARD_CONFIG_PATH}: its deployment's settings for the page. */
export interface ServedDashboardConfig {
  /** The alert API's base URL (`ALERT_API_URL`): absolute, or a path on the page's own origin such as `/api/v1`. */
  readonly alertApi?: string;
}

/** Where the dashboard connects, read from the page URL and what the gateway serves. */
export interface DashboardConfig {
  /** The JWT from `?token=` (the development token printed by `npm start`); undefined when absent. */
  readonly token: string | undefined;
  /**
   * The alert service's API base URL, absolute, without a trailing slash: `?alertApi=`, else the
   * one the gateway serves (`ALERT_API_URL`, a path taken on the page's origin), else
   * `<page protocol>//<page host name>:8081/api/v1`.
   */
  readonly alertApi: string;
  /** The gateway's WebSocket URL: `?ws=`, default `ws(s)://<page host>/ws` (the gateway serving the page). */
  readonly wsUrl: string;
}

/** The parts of `window.location` the configuration is read from. */
export interface PageLocation {
  /** E.g. `?token=eyJ...&alertApi=http://127.0.0.1:8081/api/v1`. */
  readonly search: string;
  /** `http:` or `https:`. */
  readonly protocol: string;
  /** Host name without port. */
  readonly hostname: string;
  /** Host name with port. */
  readonly host: string;
}

/** Reads the dashboard's configuration from the page location and what the gateway served (pure: no globals). */
export function readDashboardConfig(location: PageLocation, served: ServedDashboardConfig = {}): DashboardConfig {
  const params = new URLSearchParams(location.search);
  const token = nonEmpty(params.get('token'));
  const secure = location.protocol === 'https:';
  const pageOrigin = `${secure ? 'https:' : 'http:'}//${location.host}`;
  const servedApi = nonEmpty(served.alertApi ?? null);
  const alertApi =
    nonEmpty(params.get('alertApi')) ?? (servedApi === undefined ? undefined : new URL(servedApi, `${pageOrigin}/`).href) ?? `${secure ? 'https:' : 'http:'}//${location.hostname}:8081/api/v1`;
  const wsUrl = nonEmpty(params.get('ws')) ?? `${secure ? 'wss' : 'ws'}://${location.host}/ws`;
  return { token, alertApi: alertApi.replace(/\/+$/, ''), wsUrl };
}

function nonEmpty(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
