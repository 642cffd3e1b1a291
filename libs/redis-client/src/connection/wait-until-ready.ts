import { describeConnection } from './connection-metadata';
import type { RedisConnection } from './redis-connection';
import { RedisUnavailableError } from './redis-unavailable-error';

/**
 * Resolves once `conn` is ready for commands (status `ready`); starts a lazy connection that
 * has not connected yet. Rejects with a {@link RedisUnavailableError} naming the connection's
 * `displayUrl` (never the password), its status and the last connection error when it is not
 * ready within `timeoutMs`, or at once when the connection has been closed for good.
 * The connection keeps reconnecting after a timeout: services start anyway, in degraded mode.
 *
 * @param timeoutMs how long to wait (default 10 s)
 */
export function waitUntilReady(conn: RedisConnection, timeoutMs = 10_000): Promise<void> {
  if (conn.status === 'ready') return Promise.resolve();
  const target = describeConnection(conn);
  const unavailable = (what: string, lastError: string | undefined) =>
    new RedisUnavailableError(
      `Redis at ${target} ${what} (status ${conn.status}${lastError ? `; last error: ${lastError}` : ''})`,
      target,
      conn.status,
    );
  if (conn.status === 'end') return Promise.reject(unavailable('is closed', undefined));
  return new Promise<void>((resolve, reject) => {
    let lastError: string | undefined;
    const onReady = () => finish();
    const onError = (error: Error) => (lastError = error.message);
    const onEnd = () => finish(unavailable('was closed before it became ready', lastError));
    const timer = setTimeout(() => finish(unavailable(`is not ready after ${timeoutMs} ms`, lastError)), timeoutMs);
    function finish(error?: Error): void {
      clearTimeout(timer);
      conn.off('ready', onReady);
      conn.off('error', onError);
      conn.off('end', onEnd);
      if (error) reject(error);
      else resolve();
    }
    conn.on('ready', onReady);
    conn.on('error', onError);
    conn.on('end', onEnd);
    if (conn.status === 'wait') {
      // Failures arrive as 'error' events; the promise of connect() adds nothing.
      conn.connect().catch(() => undefined);
    }
  });
}
