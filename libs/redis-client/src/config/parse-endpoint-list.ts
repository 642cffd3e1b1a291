import { ConfigError } from './config-error';
import type { RedisEndpoint } from './redis-config';

const HOST = /^[A-Za-z0-9._-]+$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/**
 * Parses a comma-separated list of `host:port` entries (`[::1]:26379` for IPv6) from the
 * environment variable `variable`. An entry without a port gets `defaultPort`. Pure; every
 * failure is a {@link ConfigError} naming the variable and the entry's position.
 * Entries that carry credentials (`user:pass@host`) are refused without being echoed.
 */
export function parseEndpointList(variable: string, value: string, defaultPort: number): RedisEndpoint[] {
  const expected = `expected a comma-separated list of host:port, e.g. 10.0.0.1:${defaultPort},10.0.0.2:${defaultPort} ([::1]:${defaultPort} for IPv6)`;
  return value.split(',').map((raw, index) => {
    const entry = raw.trim();
    const where = `entry ${index + 1}`;
    if (!entry) throw new ConfigError(variable, `${where} is empty; ${expected}`);
    if (entry.includes('@') || entry.includes('/')) {
      throw new ConfigError(variable, `${where} must be a bare host:port (no scheme, credentials or path; credentials come from REDIS_URL or REDIS_SENTINEL_PASSWORD); ${expected}`);
    }
    let host: string;
    let portText: string | undefined;
    if (entry.startsWith('[')) {
      const close = entry.indexOf(']');
      host = close > 0 ? entry.slice(1, close) : '';
      const rest = close > 0 ? entry.slice(close + 1) : '';
      if (!host || !IPV6.test(host) || (rest !== '' && !rest.startsWith(':'))) {
        throw new ConfigError(variable, `${where} "${entry}" is not a valid [IPv6]:port; ${expected}`);
      }
      portText = rest ? rest.slice(1) : undefined;
    } else {
      const parts = entry.split(':');
      if (parts.length > 2) {
        throw new ConfigError(variable, `${where} "${entry}" looks like an IPv6 address without brackets; write it as [address]:port; ${expected}`);
      }
      host = parts[0];
      portText = parts[1];
      if (!host || !HOST.test(host)) throw new ConfigError(variable, `${where} "${entry}" has an empty or invalid host; ${expected}`);
    }
    let port = defaultPort;
    if (portText !== undefined) {
      port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
      if (!(port >= 1 && port <= 65535)) {
        throw new ConfigError(variable, `${where} "${entry}" has an invalid port (must be 1..65535); ${expected}`);
      }
    }
    return { host, port };
  });
}
