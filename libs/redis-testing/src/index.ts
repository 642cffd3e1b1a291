export { freePort } from './free-port';
export { RedisServerProcess, type RedisServerProcessOptions } from './redis-server-process';
export { startRedis, type RedisTestMode, type RedisTestServer, type StartRedisOptions } from './start-redis';
export { useRedis } from './use-redis';
export { waitFor } from './wait-for';
