/** Where the dashboard connects, read from the page URL. */
export interface DashboardConfig {
  /** The JWT from `?token=` (the development token printed by `npm start`); undefined when absent. */
  readonly token: string | undefined;
  /** The alert service's API base URL, without a trailing slash: `?alertApi=`, default `<page protocol>//<page host name>:8081/api/v1`. */
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

/** Reads the dashboard's configuration from the page location (pure: no globals). */
export function readDashboardConfig(location: PageLocation): DashboardConfig {
  const params = new URLSearchParams(location.search);
  const token = nonEmpty(params.get('token'));
  const secure = location.protocol === 'https:';
  const alertApi = nonEmpty(params.get('alertApi')) ?? `${secure ? 'https:' : 'http:'}//${location.hostname}:8081/api/v1`;
  const wsUrl = nonEmpty(params.get('ws')) ?? `${secure ? 'wss' : 'ws'}://${location.host}/ws`;
  return { token, alertApi: alertApi.replace(/\/+$/, ''), wsUrl };
}

function nonEmpty(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
