import { processSingleton } from './host-process';
import { InvalidRedisTestRuntimeError } from './invalid-redis-test-runtime-error';
import { loadTestcontainers } from './load-testcontainers';
import type { RedisTestRuntime } from './redis-test-server';
import type { RedisTestRuntimeSetting } from './start-redis-options';

/** Options for {@link detectRedisTestRuntime}. */
export interface DetectRedisTestRuntimeOptions {
  /** `auto`, `process` or `container` (default: `REDIS_TEST_RUNTIME` from `env`, else `auto`). */
  setting?: string;
  /** Where `REDIS_TEST_RUNTIME` is read when `setting` is absent (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** How long the container runtime may take to answer before `auto` settles on `process` (default 1500 ms). */
  probeTimeoutMs?: number;
  /**
   * Resolves when a container runtime answers, rejects when none does (default:
   * testcontainers' `getContainerRuntimeClient()`). Passing one skips the per-process cache.
   */
  probe?: () => Promise<unknown>;
}

const SETTINGS: ReadonlyArray<RedisTestRuntimeSetting> = ['auto', 'process', 'container'];

/** Checks a runtime setting; empty means `auto`. */
export function parseRedisTestRuntimeSetting(value: string | undefined): RedisTestRuntimeSetting {
  const setting = (value ?? '').trim().toLowerCase() || 'auto';
  if (!(SETTINGS as ReadonlyArray<string>).includes(setting)) throw new InvalidRedisTestRuntimeError(value ?? '');
  return setting as RedisTestRuntimeSetting;
}

/**
 * testcontainers' own question, `getContainerRuntimeClient()`, asked with a deadline that
 * starts after the module has loaded (loading alone can take a second on a busy machine).
 */
async function askTestcontainers(timeoutMs: number): Promise<RedisTestRuntime> {
  let getContainerRuntimeClient: () => Promise<unknown>;
  try {
    ({ getContainerRuntimeClient } = loadTestcontainers().testcontainers);
  } catch {
    return 'process';
  }
  return probeRuntime(getContainerRuntimeClient, timeoutMs);
}

/** `container` if `probe` resolves within `timeoutMs`, `process` if it rejects or takes longer. */
async function probeRuntime(probe: () => Promise<unknown>, timeoutMs: number): Promise<RedisTestRuntime> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RedisTestRuntime>((resolve) => {
    timer = setTimeout(() => resolve('process'), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(probe)
        .then(
          (): RedisTestRuntime => 'container',
          (): RedisTestRuntime => 'process',
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Decides what runs a `standalone` test server. `process` and `container` settings are
 * taken as they are; `auto` asks for a container runtime once per process (the test
 * files of a jest worker share the answer) and settles on `process` when none answers
 * within `probeTimeoutMs`, so a machine without Docker pays for the question only once.
 */
export async function detectRedisTestRuntime(options: DetectRedisTestRuntimeOptions = {}): Promise<RedisTestRuntime> {
  const env = options.env ?? process.env;
  const setting = parseRedisTestRuntimeSetting(options.setting ?? env['REDIS_TEST_RUNTIME']);
  if (setting !== 'auto') return setting;
  const timeoutMs = options.probeTimeoutMs ?? 1_500;
  if (options.probe) return probeRuntime(options.probe, timeoutMs);
  // Kept on the real process, so jest's test files in one worker share one answer.
  const cache = processSingleton('rebal.redis-testing.auto-runtime', (): { answer?: Promise<RedisTestRuntime> } => ({}));
  cache.answer ??= askTestcontainers(timeoutMs);
  return cache.answer;
}
