/** Messages and codes of failures that say Redis could not be reached, not that the event is bad. */
const TRANSIENT_MESSAGE =
  /Stream isn't writeable|Connection is closed|Reached the max retries per request|Command timed out|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTCONN|^(LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|NOREPLICAS)\b/;
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTCONN']);

/**
 * Whether a handler's failure means Redis (or the network to it) was unavailable: a closed or
 * reconnecting connection, a refused or reset socket, a timed-out command, a server still
 * loading its data or a cluster without a master for the slot. Such a failure says nothing
 * about the event, so it never counts towards dead-lettering it. Follows `cause` chains, so an
 * error a handler wrapped is recognised too.
 */
export function isTransientRedisError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    if (TRANSIENT_MESSAGE.test(current.message)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (current.name === 'MaxRetriesPerRequestError') return true;
  }
  return false;
}
