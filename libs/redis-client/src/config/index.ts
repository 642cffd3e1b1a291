export { ConfigError } from './config-error';
export { formatDurationMs, parseDurationMs } from './duration';
export { parseRedisConfig } from './parse-redis-config';
export type { RedisConfig, RedisConnectionOptions, RedisEndpoint, RedisTlsOptions } from './redis-config';
export {
  DEFAULT_REDIS_URL,
  describeRedisConfigVariables,
  REDIS_CONFIG_VARIABLES,
  type RedisConfigVariable,
} from './redis-config-variables';
