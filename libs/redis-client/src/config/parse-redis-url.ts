import { ConfigError } from './config-error';

/** Highest database index a default Redis accepts (`databases 16`). */
export const MAX_DB_INDEX = 15;

/** Default Redis port, used when the URL has none. */
export const DEFAULT_REDIS_PORT = 6379;

/** What a `redis://` or `rediss://` URL says (see {@link parseRedisUrl}). */
export interface ParsedRedisUrl {
  /** `rediss://`: connect with TLS. */
  tls: boolean;
  /** Host without IPv6 brackets. */
  host: string;
  /** Port, default 6379. */
  port: number;
  /** Percent-decoded ACL user name, if any. */
  username?: string;
  /** Percent-decoded password, if any. */
  password?: string;
  /** Database index from the path, default 0. */
  db: number;
}

/** The form of a Redis URL, as the README and the help text give it. */
export const REDIS_URL_FORM = 'redis://[[user]:password@]host[:port][/db]';

const EXPECTED = `expected ${REDIS_URL_FORM} or rediss://… for TLS`;
const ENCODING = 'special characters in the user name and password percent-encoded (%40 for @, %2F for /, %3F for ?, %23 for #, %3A for :)';
/** A scheme worth naming in a message; anything else may be a secret typed in the wrong place. */
const PLAIN_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,15}$/;

/**
 * Refuses a value whose text after the host part holds an `@`: a password with a raw `@`
 * followed by `/`, `?` or `#` was split there, so the "host", "path", "query" or "fragment"
 * the URL parser would find may be pieces of it. Nothing of the value is echoed. Once this
 * passed, everything after the last `@` is host, port and path: no part of a password.
 */
function refuseSplitPassword(variable: string, value: string, authorityStart: number): void {
  const authority = value.slice(authorityStart);
  const end = authority.search(/[/?#]/);
  if (end >= 0 && authority.includes('@', end)) {
    throw new ConfigError(variable, `has an @ after a /, ? or # (a password written without percent-encoding was probably split there; nothing of the value is shown); ${EXPECTED}, with ${ENCODING}`);
  }
}

/**
 * Text after the last `@` of a value that did not parse: the host part, which cannot hold
 * the password once {@link refuseSplitPassword} passed. Nothing when there is no `@`, since
 * then we cannot tell what is secret.
 */
function safeHint(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return '';
  return ` (after the credentials: "${value.slice(at + 1, at + 81)}")`;
}

function decode(variable: string, part: 'user name' | 'password', raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ConfigError(variable, `the ${part} has a malformed percent-encoding; ${EXPECTED}, with special characters percent-encoded (e.g. %40 for @)`);
  }
}

/** Host as written in a URL: IPv6 addresses go back into brackets. */
export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** `[user][:***]@` for a display URL, or '' without credentials. */
export function redactedUserinfo(username: string | undefined, password: string | undefined): string {
  if (!username && !password) return '';
  return `${username ? encodeURIComponent(username) : ''}${password ? ':***' : ''}@`;
}

/**
 * Parses one Redis URL taken from the environment variable `variable`. Pure: it reads
 * nothing else. Every failure is a {@link ConfigError} naming `variable` whose message
 * never repeats the password (nor anything that could be one).
 */
export function parseRedisUrl(variable: string, value: string): ParsedRedisUrl {
  const separator = value.indexOf('://');
  if (separator >= 0) refuseSplitPassword(variable, value, separator + 3);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Without "://" there is no host part to tell apart from a password: show nothing.
    const hint = separator >= 0 ? safeHint(value) : '';
    throw new ConfigError(variable, `not a valid URL${hint}; ${EXPECTED}, a port in 1..65535, and ${ENCODING}`);
  }
  if (separator < 0) {
    // "host:port" or "secret:tail" parse as a scheme: naming it could print a password.
    throw new ConfigError(variable, `has no scheme (nothing of the value is shown); ${EXPECTED}`);
  }
  const scheme = url.protocol.toLowerCase();
  if (scheme !== 'redis:' && scheme !== 'rediss:') {
    const written = value.slice(0, separator);
    const named = PLAIN_SCHEME.test(written) ? ` "${scheme}"` : '';
    throw new ConfigError(variable, `unsupported scheme${named}; ${EXPECTED}`);
  }
  const username = url.username ? decode(variable, 'user name', url.username) : undefined;
  const password = url.password ? decode(variable, 'password', url.password) : undefined;
  if (username && !password) {
    // The name is not echoed: a password written without its leading colon lands here.
    throw new ConfigError(
      variable,
      `has a user name but no password; expected ${REDIS_URL_FORM}: an ACL user always comes with its password ` +
        '(for a user with nopass any password works, e.g. redis://<user>:x@host), and redis://:password@host is the default user',
    );
  }
  const shown = `${scheme}//${redactedUserinfo(username, password)}${url.host}`;
  const rawHost = url.hostname;
  const host = rawHost.startsWith('[') && rawHost.endsWith(']') ? rawHost.slice(1, -1) : rawHost;
  if (!host) throw new ConfigError(variable, `the host is empty in ${shown}; ${EXPECTED}`);
  if (url.search || url.hash) {
    // Not echoed: some clients accept ?password=… there.
    throw new ConfigError(variable, `query parameters and fragments are not supported in ${shown}; ${EXPECTED} (put the db index in the path, e.g. /3)`);
  }
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(variable, `port must be 1..65535 in ${shown}; ${EXPECTED}`);
  }
  const path = url.pathname;
  let db = 0;
  if (path !== '' && path !== '/') {
    const match = /^\/(\d{1,2})$/.exec(path);
    db = match ? Number(match[1]) : NaN;
    if (!(db >= 0 && db <= MAX_DB_INDEX)) {
      throw new ConfigError(variable, `db index must be an integer 0..${MAX_DB_INDEX} (a Redis Cluster only has db 0), got "${path.slice(1, 41)}" in ${shown}`);
    }
  }
  return { tls: scheme === 'rediss:', host, port, username, password, db };
}
