export {
  detectRedisTestRuntime,
  parseRedisTestRuntimeSetting,
  type DetectRedisTestRuntimeOptions,
} from './detect-redis-test-runtime';
export { detectRedisTestServer, type RedisTestEngine, type RedisTestServerSoftware } from './detect-redis-test-server';
export { freeClusterPort } from './free-cluster-port';
export { freePort } from './free-port';
export {
  generateTestCertificates,
  type GenerateTestCertificatesOptions,
  type TestCertificates,
} from './generate-test-certificates';
export { InvalidRedisTestRuntimeError } from './invalid-redis-test-runtime-error';
export { InvalidRedisTestServerError } from './invalid-redis-test-server-error';
export { RedisServerProcess, type RedisServerProcessOptions } from './redis-server-process';
export type { RedisTestMode, RedisTestNode, RedisTestRuntime, RedisTestServer, RedisTestTls } from './redis-test-server';
export { startRedis } from './start-redis';
export type { RedisTestRuntimeSetting, StartRedisOptions } from './start-redis-options';
export { UnsupportedInContainerError } from './unsupported-in-container-error';
export { useRedis } from './use-redis';
export { waitFor, type WaitForOptions } from './wait-for';
export { waitForClusterOk, type WaitForClusterOkOptions } from './wait-for-cluster-ok';
