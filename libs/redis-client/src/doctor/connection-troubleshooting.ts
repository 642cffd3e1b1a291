const AUTH_ERROR = /NOAUTH|WRONGPASS|NOPERM|\bAUTH\b/;

/** True when a connection error means "reached Redis, but it refused the credentials". */
export function isAuthError(message: string): boolean {
  return AUTH_ERROR.test(message);
}

/**
 * What to try when Redis cannot be used, for a check's fix and the CLI: the "Connection
 * refused" and "degraded mode" cases of the setup guide. `target` must already be redacted.
 */
export function connectionTroubleshooting(target: string, message: string): string {
  if (isAuthError(message)) {
    return [
      'Redis answered but refused the credentials:',
      '- put the ACL user and password in the URL: REDIS_URL=redis://<user>:<password>@<host>:6379/0',
      `- test them: redis-cli -u ${target} ping   (with the real password) must print PONG`,
      '- with ACLs, the user needs the stream, INFO, CONFIG GET and PING commands on the platform keys',
    ].join('\n');
  }
  return [
    'Connection refused or no answer: nothing usable listens at that address.',
    '- is redis-server running?  `redis-server` / `sudo service redis-server start` / `brew services start redis`',
    '- is REDIS_URL right (host, port, db)? e.g. REDIS_URL=redis://localhost:6379/0 (rediss:// for TLS)',
    `- test it: redis-cli -u ${target} ping   must print PONG`,
    '- Redis in WSL, a container or another host: it must listen on an address you can reach (`bind` in redis.conf; never expose it to the internet)',
    'Services in this state run in "degraded mode" (/readyz answers 503) until Redis answers.',
  ].join('\n');
}
