/**
 * Path at which the gateway serves the console's settings ({@link ServedConsoleConfig}), beside
 * the page. The name predates the console (it was the dashboard's); the gateway keeps it.
 */
export const SERVED_CONFIG_PATH = '/dashboard-config.json';

/** What the gateway serves at {@link SERVED_CONFIG_PATH}: its deployment's settings for the page. */
export interface ServedConsoleConfig {
  /** The alert API's base URL (`ALERT_API_URL`): absolute, or a path on the page's own origin such as `/api/v1`. */
  readonly alertApi?: string;
  /** The health monitor's API base URL (`HEALTH_API_URL`), e.g. `http://127.0.0.1:8082/api/v1`, or a path on the page's origin. */
  readonly healthApi?: string;
}

/** Where the console connects, read from the page URL and what the gateway serves. */
export interface ConsoleConfig {
  /** The JWT from `?token=` (the development token printed by `npm start`); undefined when absent. */
  readonly token: string | undefined;
  /**
   * The alert service's API base URL, absolute, without a trailing slash: `?alertApi=`, else the
   * one the gateway serves (`ALERT_API_URL`, a path taken on the page's origin), else
   * `<page protocol>//<page host name>:8081/api/v1`.
   */
  readonly alertApi: string;
  /**
   * The health monitor's API base URL, absolute, without a trailing slash: `?healthApi=`, else the
   * one the gateway serves (`HEALTH_API_URL`); undefined when neither (the console then shows the
   * live `system_status` changes only, and says so).
   */
  readonly healthApi: string | undefined;
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

/** Reads the console's configuration from the page location and what the gateway served (pure: no globals). */
export function readConsoleConfig(location: PageLocation, served: ServedConsoleConfig = {}): ConsoleConfig {
  const params = new URLSearchParams(location.search);
  const token = nonEmpty(params.get('token'));
  const secure = location.protocol === 'https:';
  const pageOrigin = `${secure ? 'https:' : 'http:'}//${location.host}`;
  const onPage = (url: string | undefined): string | undefined => (url === undefined ? undefined : new URL(url, `${pageOrigin}/`).href);
  const alertApi =
    nonEmpty(params.get('alertApi')) ?? onPage(nonEmpty(served.alertApi)) ?? `${secure ? 'https:' : 'http:'}//${location.hostname}:8081/api/v1`;
  const healthApi = nonEmpty(params.get('healthApi')) ?? onPage(nonEmpty(served.healthApi));
  const wsUrl = nonEmpty(params.get('ws')) ?? `${secure ? 'wss' : 'ws'}://${location.host}/ws`;
  return { token, alertApi: withoutTrailingSlash(alertApi), healthApi: healthApi === undefined ? undefined : withoutTrailingSlash(healthApi), wsUrl };
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : undefined;
  return trimmed ? trimmed : undefined;
}
