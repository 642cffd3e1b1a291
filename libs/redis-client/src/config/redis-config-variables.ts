import { formatDurationMs } from './duration';
import { REDIS_URL_FORM } from './parse-redis-url';

/** The `REDIS_URL` used when the variable is unset or empty: a local server, so local development needs no setup. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';

/** How long a command connection waits for one reply when `REDIS_COMMAND_TIMEOUT` is unset. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;

/** One environment variable read by `parseRedisConfig`, for docs and `--help` output. */
export interface RedisConfigVariable {
  /** The variable's name, e.g. `REDIS_URL`. */
  readonly name: string;
  /** Its default as shown to people (`none` when it is simply off when unset). */
  readonly default: string;
  /** What it does and which values it takes. */
  readonly description: string;
}

/**
 * Every environment variable `parseRedisConfig` reads, in the order the README lists them.
 * Empty values count as unset; values are trimmed.
 */
export const REDIS_CONFIG_VARIABLES: readonly RedisConfigVariable[] = [
  {
    name: 'REDIS_URL',
    default: DEFAULT_REDIS_URL,
    description:
      `The durable Redis (streams, alerts, BullMQ): ${REDIS_URL_FORM}, rediss:// for TLS, IPv6 as [::1], ` +
      'special characters in the user name and password percent-encoded (%40 for @, %2F for /, %3F for ?, %23 for #); ' +
      'an ACL user always with its password (any password for a nopass user); port 6379 and db 0 by default, db 0..15 (a Cluster only has db 0). ' +
      'With Sentinel or Cluster it supplies the credentials, TLS and db, and its host is not used.',
  },
  {
    name: 'CACHE_REDIS_URL',
    default: 'same as REDIS_URL',
    description:
      'A separate Redis for the cache (it may use an evicting maxmemory-policy), same form as REDIS_URL; always a single server.',
  },
  {
    name: 'REDIS_SENTINELS',
    default: 'none',
    description: 'Comma-separated Sentinel addresses host:port (port 26379 by default); the master is then found through them.',
  },
  {
    name: 'REDIS_SENTINEL_NAME',
    default: 'none',
    description: 'Name of the Sentinel master group (e.g. mymaster); required with REDIS_SENTINELS.',
  },
  {
    name: 'REDIS_SENTINEL_PASSWORD',
    default: 'none',
    description: 'Password of the Sentinels themselves (requirepass on the Sentinels), when they need one; only with REDIS_SENTINELS.',
  },
  {
    name: 'REDIS_CLUSTER_NODES',
    default: 'none',
    description:
      'Comma-separated Cluster seed nodes host:port (port 6379 by default); turns on Cluster mode. Not together with REDIS_SENTINELS; REDIS_URL must use db 0.',
  },
  {
    name: 'REDIS_TLS_CA_FILE',
    default: 'none (system CAs)',
    description: 'Path of a PEM CA certificate that signed the server certificate, for rediss:// URLs.',
  },
  {
    name: 'REDIS_TLS_SERVERNAME',
    default: 'none (the host)',
    description: 'Name to verify the server certificate against (SNI), for rediss:// URLs whose host is not in the certificate.',
  },
  {
    name: 'REDIS_STREAM_PREFIX',
    default: 'empty',
    description: 'Prefix added to every stream name (e.g. staging:), only the characters A-Z a-z 0-9 : _ . -',
  },
  {
    name: 'REDIS_COMMAND_TIMEOUT',
    default: formatDurationMs(DEFAULT_COMMAND_TIMEOUT_MS),
    description:
      'Longest wait for the reply to one Redis command, 100ms..10m (e.g. 500ms, 5s); a blocking read waits its BLOCK time plus this. ' +
      'An unanswered command then fails (the API answers 503), and a Redis that leaves a PING unanswered this long puts the service ' +
      'in degraded mode until it answers again (a Redis that hangs keeps its sockets open, so only a deadline notices it).',
  },
];

/**
 * {@link REDIS_CONFIG_VARIABLES} as a Markdown table (`| Variable | Default | Description |`),
 * names in backticks and defaults verbatim, for the README and `--help` output.
 */
export function describeRedisConfigVariables(): string {
  const rows = REDIS_CONFIG_VARIABLES.map((variable) => `| \`${variable.name}\` | ${variable.default} | ${variable.description} |`);
  return ['| Variable | Default | Description |', '|---|---|---|', ...rows].join('\n');
}
