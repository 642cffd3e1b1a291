/** An opaque timer handle (a number in browsers, a `Timeout` object in Node). */
export type TimerHandle = unknown;

// The SDK is typed without DOM or Node globals so nothing platform-specific sneaks in; timers
// exist on both platforms' globalThis. Looked up at call time so fake timers in tests apply.
interface TimerGlobals {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Runs `callback` once after `ms` milliseconds. */
export function startTimer(callback: () => void, ms: number): TimerHandle {
  return (globalThis as unknown as TimerGlobals).setTimeout(callback, ms);
}

/** Cancels a timer from {@link startTimer}; `undefined` is ignored. */
export function stopTimer(handle: TimerHandle | undefined): void {
  if (handle !== undefined) (globalThis as unknown as TimerGlobals).clearTimeout(handle);
}
