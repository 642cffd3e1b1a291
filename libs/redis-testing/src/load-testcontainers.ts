import { createRequire } from 'node:module';

/** What the container runtime needs from testcontainers. */
export interface TestcontainersModules {
  testcontainers: typeof import('testcontainers');
  redis: typeof import('@testcontainers/redis');
}

/**
 * Loads `testcontainers` and `@testcontainers/redis` on first use only: they take most of
 * a second to load, which a run without a container runtime should not pay for every test
 * file. Node's own `require` is used (jest cannot run a dynamic `import()` without
 * experimental flags), so the modules and their state (the runtime client, the reaper
 * container) are loaded once per process and shared by every test file it runs.
 */
export function loadTestcontainers(): TestcontainersModules {
  const load = createRequire(__filename);
  return {
    testcontainers: load('testcontainers') as typeof import('testcontainers'),
    redis: load('@testcontainers/redis') as typeof import('@testcontainers/redis'),
  };
}
