import type { RedisAclUser } from '../support';

/** One `ACL DRYRUN` check: a command one user must, or must not, be allowed to run. */
export interface AclExpectation {
  readonly user: RedisAclUser;
  /** The command and its arguments, e.g. `['SET', '{alerts}:x', 'v']`. */
  readonly command: readonly string[];
  /** Whether the user may run it. */
  readonly allowed: boolean;
  /** Where the expectation comes from (docs/operations.md section 2.1, the README's stream table). */
  readonly why: string;
}

/** The service users of `scripts/redis-acl.sh` (`rebal-app` is all three services' rights in one). */
export const SERVICE_USERS: readonly RedisAclUser[] = ['rebal-alert-service', 'rebal-gateway', 'rebal-health-monitor', 'rebal-app', 'rebal-doctor', 'rebal-producer'];

const allow = (user: RedisAclUser, why: string, ...command: string[]): AclExpectation => ({ user, command, allowed: true, why });
const deny = (user: RedisAclUser, why: string, ...command: string[]): AclExpectation => ({ user, command, allowed: false, why });

const ROW = 'docs/operations.md 2.1, the row of this user';
const NO_ADMIN = 'docs/operations.md 2.1: no service needs KEYS, SCAN, FLUSH*, CONFIG SET, DEBUG or any @admin/@dangerous command';
const NO_PUBSUB = 'docs/operations.md 2.1: no service uses pub/sub';
const SHA = '0'.repeat(40);

/**
 * What each user may do, from its row of the table in docs/operations.md section 2.1: a few
 * commands of the row that must be allowed (so a denial below is not a user that can do
 * nothing), and the keys and commands of the other rows that must be denied.
 */
export const ROW_EXPECTATIONS: readonly AclExpectation[] = [
  allow('rebal-alert-service', ROW, 'XREADGROUP', 'GROUP', 'alert-service', 'c', 'COUNT', '1', 'STREAMS', 'market_data', '>'),
  allow('rebal-alert-service', ROW, 'XAUTOCLAIM', 'portfolio_updates', 'alert-service', 'c', '0', '0-0'),
  allow('rebal-alert-service', ROW, 'XADD', 'market_data:dlq', '*', 'k', 'v'),
  allow('rebal-alert-service', ROW, 'EVALSHA', SHA, '1', '{alerts}:alert:x'),
  allow('rebal-alert-service', ROW, 'HGETALL', '{alerts}:alert:x'),
  allow('rebal-alert-service', ROW, 'ZADD', 'alert-service:prices:BTC', '1', 'm'),
  allow('rebal-alert-service', ROW, 'BZPOPMIN', '{rebal-notify}:q:marker', '1'),
  deny('rebal-alert-service', ROW, 'HSET', 'session:x', 'f', 'v'),
  deny('rebal-alert-service', ROW, 'SET', 'health-monitor:lease', 'x'),
  deny('rebal-alert-service', ROW, 'XGROUP', 'DESTROY', 'market_data', 'gateway.x'),
  deny('rebal-alert-service', ROW, 'XRANGE', 'market_data', '-', '+'),

  allow('rebal-gateway', ROW, 'XGROUP', 'CREATE', 'market_data', 'gateway.x', '$'),
  allow('rebal-gateway', ROW, 'XGROUP', 'DESTROY', 'alerts', 'gateway.x'),
  allow('rebal-gateway', ROW, 'XREADGROUP', 'GROUP', 'gateway.x', 'c', 'COUNT', '1', 'NOACK', 'STREAMS', 'alerts', '>'),
  allow('rebal-gateway', ROW, 'XRANGE', 'market_data', '-', '+', 'COUNT', '1'),
  allow('rebal-gateway', ROW, 'EVALSHA', SHA, '1', 'session:x'),
  allow('rebal-gateway', ROW, 'XADD', 'service_heartbeats', '*', 'k', 'v'),
  deny('rebal-gateway', ROW, 'SET', '{alerts}:x', 'v'),
  deny('rebal-gateway', ROW, 'HSET', '{alerts}:alert:x', 'f', 'v'),
  deny('rebal-gateway', ROW, 'EVALSHA', SHA, '1', '{alerts}:alert:x'),
  deny('rebal-gateway', ROW, 'DEL', 'market_data'),
  deny('rebal-gateway', ROW, 'XTRIM', 'market_data', 'MAXLEN', '0'),
  deny('rebal-gateway', ROW, 'XACK', 'alerts', 'alert-service.notifier', '0-1'),
  deny('rebal-gateway', ROW, 'CONFIG', 'SET', 'maxmemory', '1'),

  allow('rebal-health-monitor', ROW, 'XINFO', 'STREAM', 'alerts', 'FULL', 'COUNT', '1'),
  allow('rebal-health-monitor', ROW, 'XLEN', 'alerts:dlq'),
  allow('rebal-health-monitor', ROW, 'XGROUP', 'DELCONSUMER', 'market_data', 'alert-service', 'gone'),
  allow('rebal-health-monitor', ROW, 'SET', 'health-monitor:lease', 'x', 'NX', 'PX', '1000'),
  allow('rebal-health-monitor', ROW, 'SET', 'cache:health:latest', 'x'),
  deny('rebal-health-monitor', ROW, 'GET', '{alerts}:x'),
  deny('rebal-health-monitor', ROW, 'HGETALL', '{alerts}:alert:x'),
  deny('rebal-health-monitor', ROW, 'DEL', '{alerts}:alert:x'),
  deny('rebal-health-monitor', ROW, 'HGET', 'session:x', 'f'),
  deny('rebal-health-monitor', ROW, 'XRANGE', 'market_data', '-', '+'),

  allow('rebal-doctor', ROW, 'XINFO', 'GROUPS', 'market_data'),
  allow('rebal-doctor', ROW, 'CONFIG', 'GET', 'maxmemory-policy'),
  deny('rebal-doctor', ROW, 'XADD', 'market_data', '*', 'k', 'v'),
  deny('rebal-doctor', ROW, 'GET', '{alerts}:x'),

  allow('rebal-producer', ROW, 'XADD', 'market_data', '*', 'k', 'v'),
  allow('rebal-producer', ROW, 'XADD', 'risk_events', 'MAXLEN', '~', '10000', '*', 'k', 'v'),
  deny('rebal-producer', ROW, 'XADD', 'alerts', '*', 'k', 'v'),
  deny('rebal-producer', ROW, 'XRANGE', 'market_data', '-', '+'),
  deny('rebal-producer', ROW, 'XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 'market_data', '>'),
  deny('rebal-producer', ROW, 'DEL', 'market_data'),

  ...SERVICE_USERS.flatMap((user) => [
    deny(user, NO_ADMIN, 'FLUSHALL'),
    deny(user, NO_ADMIN, 'FLUSHDB'),
    deny(user, NO_ADMIN, 'KEYS', '*'),
    deny(user, NO_ADMIN, 'SCAN', '0'),
    deny(user, NO_ADMIN, 'CONFIG', 'SET', 'appendonly', 'no'),
    deny(user, NO_ADMIN, 'DEBUG', 'SLEEP', '0'),
    deny(user, NO_ADMIN, 'SHUTDOWN'),
    deny(user, NO_ADMIN, 'ACL', 'SETUSER', 'intruder', 'on'),
    deny(user, NO_ADMIN, 'MONITOR'),
    deny(user, NO_ADMIN, 'REPLICAOF', '127.0.0.1', '1'),
    deny(user, NO_ADMIN, 'SCRIPT', 'FLUSH'),
    deny(user, NO_ADMIN, 'CLIENT', 'KILL', 'TYPE', 'normal'),
    deny(user, NO_PUBSUB, 'PUBLISH', 'c', 'm'),
    deny(user, NO_PUBSUB, 'SUBSCRIBE', 'c'),
  ]),
];

/**
 * Appends to streams a user does not publish to, per the README's stream table ("written
 * by"): the gateway writes only `service_heartbeats`, the health monitor `risk_events`
 * (system_status) and `service_heartbeats`, the alert service `alerts`, the dead-letter
 * streams and `service_heartbeats`. Each of these would let the user forge events that
 * clients or the alert service trust.
 */
export const FOREIGN_APPENDS: readonly AclExpectation[] = [
  ...['market_data', 'portfolio_updates', 'risk_events', 'alerts'].map((stream) =>
    deny('rebal-gateway', 'README stream table: the gateway writes only service_heartbeats', 'XADD', stream, '*', 'k', 'v'),
  ),
  ...['market_data', 'portfolio_updates', 'alerts'].map((stream) =>
    deny('rebal-health-monitor', 'README stream table: the health monitor writes risk_events (system_status) and service_heartbeats', 'XADD', stream, '*', 'k', 'v'),
  ),
  ...['market_data', 'portfolio_updates', 'risk_events'].map((stream) =>
    deny('rebal-alert-service', 'README stream table: the alert service writes alerts (and dead letters, heartbeats)', 'XADD', stream, '*', 'k', 'v'),
  ),
];

/**
 * Commands that delete, empty, expire, rename or overwrite a whole stream, or remove its
 * entries. No service needs any of them on a platform stream (docs/operations.md 2.1 lists
 * no such command on the streams; entries are trimmed by `XADD ... MAXLEN ~`), and any one
 * of them lets a user destroy events that others have not read yet.
 */
export const STREAM_TAMPERING: readonly AclExpectation[] = SERVICE_USERS.flatMap((user) =>
  ['market_data', 'alerts'].flatMap((stream) =>
    [
      ['DEL', stream],
      ['UNLINK', stream],
      ['PEXPIRE', stream, '1'],
      ['EXPIRE', stream, '1'],
      ['RENAME', stream, `${stream}-gone`],
      ['SET', stream, 'x'],
      ['XTRIM', stream, 'MAXLEN', '0'],
      ['XDEL', stream, '0-1'],
    ].map((command) => deny(user, 'docs/operations.md 2.1: no service deletes, expires, renames or trims a platform stream', ...command)),
  ),
);

/** The outcome of one `ACL DRYRUN`: allowed, denied (with Redis's reason), or an error (a wrong check). */
export type DryRunOutcome = { readonly kind: 'allowed' } | { readonly kind: 'denied'; readonly reason: string } | { readonly kind: 'error'; readonly reply: string };

/** Reads the reply of `ACL DRYRUN` as printed by redis-cli: `OK`, `This user has no permissions ...`, or an error. */
export function readDryRun(reply: string): DryRunOutcome {
  const text = reply.trim();
  if (text === 'OK') return { kind: 'allowed' };
  if (/^This user has no permissions/.test(text)) return { kind: 'denied', reason: text };
  return { kind: 'error', reply: text };
}
