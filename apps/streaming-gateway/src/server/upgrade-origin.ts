import type { IncomingHttpHeaders } from 'node:http';
import { isCorsOriginAllowed } from '@rebal/service-kit';

/**
 * Whether a WebSocket upgrade may go on, as far as its `Origin` header goes. A browser lets any
 * page open a WebSocket to any host and always says which page in `Origin`, so this check is what
 * keeps another site's page from using a visitor's browser against the gateway:
 *
 * | `Origin`                                                     | upgrade |
 * |--------------------------------------------------------------|---------|
 * | absent                                                        | allowed: not a browser (the SDK in Node, tools), which could send any header anyway |
 * | in `allowedOrigins` (`CORS_ORIGINS`), or that list holds `*`  | allowed |
 * | the request's own host (`Host`), whatever the scheme          | allowed: the dashboard the gateway serves (TLS may end at the Ingress, so `https://` pages reach it over `http`) |
 * | anything else, `null` included                                | refused: HTTP 403 |
 */
export function isUpgradeOriginAllowed(headers: Pick<IncomingHttpHeaders, 'origin' | 'host'>, allowedOrigins: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (isCorsOriginAllowed(allowedOrigins, origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && headers.host !== undefined && url.host === headers.host.toLowerCase();
  } catch {
    return false;
  }
}
