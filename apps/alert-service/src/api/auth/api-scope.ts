/**
 * The OAuth 2.0 scopes of the alert API (docs/api.md "Scopes"), granted by the token's
 * `scope` claim: `alerts:read` for every read, `alerts:write` for the alert actions and
 * silence changes, `rules:write` for rule changes. No scope implies another.
 */
export const API_SCOPES = ['alerts:read', 'alerts:write', 'rules:write'] as const;

/** One of {@link API_SCOPES}. */
export type ApiScope = (typeof API_SCOPES)[number];

/** A space-separated list of scope tokens, split and without empty entries. */
function split(value: string): string[] {
  return value.split(' ').filter((scope) => scope.length > 0);
}

/**
 * The scopes a verified JWT grants: the standard space-separated `scope` string
 * (RFC 9068 §2.2.3, RFC 8693 §4.2), together with the `scp` claim some issuers use instead
 * (an array of strings, or a space-separated string). Scopes are compared exactly and
 * case-sensitively (RFC 6749 §3.3); a claim of another type grants nothing.
 */
export function grantedScopes(payload: Readonly<Record<string, unknown>>): ReadonlySet<string> {
  const granted = new Set<string>();
  const { scope, scp } = payload;
  if (typeof scope === 'string') split(scope).forEach((name) => granted.add(name));
  if (typeof scp === 'string') split(scp).forEach((name) => granted.add(name));
  if (Array.isArray(scp)) scp.forEach((name: unknown) => typeof name === 'string' && name.length > 0 && granted.add(name));
  return granted;
}
