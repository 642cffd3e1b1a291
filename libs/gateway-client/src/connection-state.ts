/**
 * The client's connection state:
 * `idle` (before `connect()`) → `connecting` (fetching the token, opening the socket) → `open`
 * (socket open, `auth` sent) → `authenticated` (`welcome` received, subscriptions restored);
 * after a drop `reconnecting` (waiting out the backoff) → `connecting` ...; `closed` is final
 * (`close()`, or a close code that forbids reconnecting).
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'authenticated' | 'reconnecting' | 'closed';
