import { startRedis, type RedisTestServer, type StartRedisOptions } from './start-redis';

/**
 * Jest helper: starts a Redis before the tests of the enclosing `describe` (or file) and
 * disposes of it afterwards, also when a test fails. Read `.server` inside tests.
 * `options` are those of `startRedis`; `timeoutMs` bounds the `beforeAll` and `afterAll`
 * hooks (default 60 s).
 */
export function useRedis(options: StartRedisOptions = {}, timeoutMs = 60_000): { readonly server: RedisTestServer } {
  let server: RedisTestServer | undefined;
  beforeAll(async () => {
    server = await startRedis(options);
  }, timeoutMs);
  afterAll(async () => {
    await server?.dispose();
  }, timeoutMs);
  return {
    get server(): RedisTestServer {
      if (!server) throw new Error('useRedis: the server is only available inside tests (after beforeAll)');
      return server;
    },
  };
}
