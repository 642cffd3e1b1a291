/**
 * A request URL safe to log: the values of `token` query parameters are replaced by
 * `[redacted]` (clients may authenticate with `/ws?token=<JWT>`).
 */
export function redactToken(url: string | undefined): string {
  if (url === undefined) return '';
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}
