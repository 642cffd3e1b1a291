/**
 * Checks `ALERT_API_URL` (the alert API's base URL as the console's browser reaches it), and
 * `HEALTH_API_URL` (the health monitor's) alike: an absolute `http://` or `https://` URL
 * (`https://alerts.example.com/api/v1`), or a path on the page's own origin (`/api/v1`, where an
 * Ingress routes it to the alert service). No query, fragment or credentials; a trailing slash
 * is dropped.
 * @throws Error saying what is expected, without repeating the value (the caller wraps it in a `ConfigError`)
 */
export function parseAlertApiUrl(text: string): string {
  const value = text.trim().replace(/\/+$/, '');
  const expected = 'must be an http:// or https:// URL, or a path starting with / on the dashboard\'s own origin (e.g. /api/v1), without query, fragment or credentials';
  if (value.startsWith('/') && !value.startsWith('//')) {
    if (/[?#\s]/.test(value)) throw new Error(expected);
    return value;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(expected);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password || text.includes('#') || text.includes('?')) {
    throw new Error(expected);
  }
  return value;
}
