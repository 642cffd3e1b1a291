import { RedisUnavailableError } from './redis-unavailable-error';

/** ioredis messages for "the command never reached a working Redis". */
const CONNECTION_MESSAGES = [
  "Stream isn't writeable",
  'Connection is closed',
  "Cluster isn't ready",
  'Command aborted due to connection close',
  'All sentinels are unreachable',
  'Reached the max retries per request limit',
  'Failed to refresh slots cache',
  'Too many Cluster redirections',
  // commandTimeout passed without a reply: Redis hangs (paused, black-holed link).
  'Command timed out',
];
/** Error replies that mean "this server cannot serve now" rather than "bad command". */
const UNAVAILABLE_REPLIES = /^(LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY)\b/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * True when `error` means Redis could not be reached or cannot serve right now (connection
 * down, offline queue off, retries exhausted, no reply within the command timeout, server
 * loading or failing over), as opposed to
 * an error in the command itself. Callers map it to HTTP 503 or fall back (the cache's LRU).
 */
export function isConnectionError(error: unknown): boolean {
  if (error instanceof RedisUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && NETWORK_CODES.has(code)) return true;
  if (UNAVAILABLE_REPLIES.test(error.message)) return true;
  return CONNECTION_MESSAGES.some((text) => error.message.includes(text));
}
