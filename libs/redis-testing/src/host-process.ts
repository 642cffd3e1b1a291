/**
 * The real `process` object. Jest hands each test file a copy of `process` whose events
 * never fire and whose properties die with the file; `getBuiltinModule` reaches past the
 * copy to the process that actually runs and exits.
 */
export function hostProcess(): NodeJS.Process {
  return process.getBuiltinModule?.('process') ?? process;
}

/**
 * A value kept on the real process under `Symbol.for(key)`, created by `create` on first
 * use: shared by every copy of the harness the process loads (jest loads one per test file).
 */
export function processSingleton<T>(key: string, create: () => T): T {
  const host = hostProcess() as unknown as Record<symbol, T | undefined>;
  const symbol = Symbol.for(key);
  let value = host[symbol];
  if (value === undefined) {
    value = create();
    host[symbol] = value;
  }
  return value;
}
