import { DEFAULT_HEARTBEAT_INTERVAL_MS } from '@rebal/redis-client';
import { bool, duration, envSchema, int, serviceEnv, str } from '@rebal/service-kit';
import { DEFAULT_FEED_EXPECTATIONS } from '../feeds/feed-expectations';
import { list, ratio } from './env-builders';

const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const STREAM = /^[A-Za-z0-9:_.{}-]{1,200}$/;

/**
 * The health monitor's environment variables, besides the Redis ones that `parseRedisConfig`
 * reads (`REDIS_URL`, `REDIS_CLUSTER_NODES`, `REDIS_STREAM_PREFIX`, ...). `describe()` lists
 * them with their defaults for the README.
 */
export const HEALTH_MONITOR_ENV = envSchema({
  ...serviceEnv(8082),
  HEALTH_CHECK_INTERVAL: duration({ default: 5_000, min: 50, description: 'pause between two checks of Redis, streams and services' }),
  HEALTH_CHECK_TIMEOUT: duration({ default: 3_000, min: 50, description: 'how long the Redis commands of one check may take before the check reports them as failed' }),
  HEARTBEAT_INTERVAL: duration({ default: DEFAULT_HEARTBEAT_INTERVAL_MS, min: 50, description: 'interval of this monitor\'s own heartbeats on `service_heartbeats`' }),
  HEALTH_HEARTBEAT_TIMEOUT: duration({
    default: 15_000,
    min: 100,
    description: 'an instance with no heartbeat for this long is `down` (about three heartbeat intervals)',
  }),
  HEALTH_EXPECTED_SERVICES: list({
    default: ['alert-service', 'streaming-gateway'],
    pattern: NAME,
    patternText: 'a service name (letters, digits, ".", "_", "-")',
    description: 'services that must be running: one never seen, or without a live instance, is `down`',
  }),
  HEALTH_LAG_THRESHOLD: int({ default: 1_000, min: 1, description: 'a consumer group with more unread entries than this makes the system `degraded`' }),
  HEALTH_PENDING_GROWTH_CHECKS: int({
    default: 5,
    min: 2,
    max: 1_000,
    description: 'a group whose pending count grew at this many consecutive checks makes the system `degraded`',
  }),
  HEALTH_MEMORY_THRESHOLD: ratio({ default: 0.8, description: 'used memory above this share of `maxmemory` makes the system `degraded`' }),
  HEALTH_REQUIRE_AOF: bool({ default: true, description: 'report `degraded` when Redis runs without `appendonly yes` (streams and alerts are durable data)' }),
  HEALTH_REAP_ENABLED: bool({ default: true, description: 'delete the consumer groups and consumers of instances whose heartbeats stopped (lease holder only)' }),
  HEALTH_REAP_GRACE: duration({
    default: 60_000,
    min: 100,
    description: 'an instance silent this long is gone: its fan-out groups (once an entry has waited unread as long) and idle consumers are deleted; must exceed HEALTH_HEARTBEAT_TIMEOUT',
  }),
  HEALTH_FORGET_AFTER: duration({ default: 86_400_000, min: 1_000, description: 'how long a gone instance is remembered (to finish reaping its consumers) before it is forgotten' }),
  HEALTH_LEASE_TTL: duration({ default: 15_000, min: 300, description: 'lifetime of the housekeeping lease; the holder renews it every third of this' }),
  HEALTH_SNAPSHOT_TTL: duration({ default: 60_000, min: 1_000, description: 'TTL of the latest snapshot in the cache (`cache:health:<REDIS_STREAM_PREFIX>latest`)' }),
  CORS_ORIGINS: str({
    default: '',
    defaultText: 'none',
    description: 'browser origins allowed to read `GET /api/v1/status` (the console\'s, served by the gateway), comma-separated `scheme://host[:port]`, or `*`',
  }),
  HEALTH_EXTRA_STREAMS: list({
    pattern: STREAM,
    patternText: 'a stream name',
    description: 'streams to watch besides the platform\'s (names without REDIS_STREAM_PREFIX)',
  }),
  HEALTH_FEED_EXPECTATIONS: str({
    default: DEFAULT_FEED_EXPECTATIONS,
    description:
      'how often each feed must see an event, comma-separated: `<stream>=<interval>` (the whole stream), `<stream>:*=<interval>` (each subject once seen), `<stream>:<subject>=<interval or off>` (that subject, watched from the start); `none` watches nothing. A feed is stale once no event came for 1.5 times its interval; transitions are announced as `feed_status`',
  }),
  HEALTH_FEED_MAX_SUBJECTS: int({
    default: 1_000,
    min: 1,
    max: 100_000,
    description: 'most subjects learned from events that are watched (over all streams; subjects named in HEALTH_FEED_EXPECTATIONS come on top); events of further subjects are counted in `rebal_feed_subjects_refused_total`',
  }),
});
