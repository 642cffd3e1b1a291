import { DEFAULT_ALERT_SERVICE_PORT } from './port-plan';

/** Input of {@link dashboardUrl}. */
export interface DashboardUrlInput {
  /** Port of the streaming gateway, which serves the dashboard at `/`. */
  gatewayPort: number;
  /** Port of the alert service whose API the dashboard calls. */
  alertPort: number;
  /** The development token (a JWT; percent-encoded should it hold anything a query cannot). */
  token: string;
  /** Host of both services as the browser reaches them (default `127.0.0.1`). */
  host?: string;
}

/**
 * The dashboard URL `npm start` prints: `http://<host>:<gateway>/?token=<token>`, plus
 * `&alertApi=http://<host>:<alert>/api/v1` when the alert service is not on port 8081 (the
 * dashboard's default), so the page still reaches the API under another `REBAL_PORT_BASE`.
 */
export function dashboardUrl(input: DashboardUrlInput): string {
  const host = input.host ?? '127.0.0.1';
  const url = `http://${host}:${input.gatewayPort}/?token=${encodeURIComponent(input.token)}`;
  return input.alertPort === DEFAULT_ALERT_SERVICE_PORT ? url : `${url}&alertApi=http://${host}:${input.alertPort}/api/v1`;
}
