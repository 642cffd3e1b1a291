import { DoctorTimeoutError } from './doctor-errors';

/** Runs promises against one shared deadline, so a whole doctor run stays bounded. */
export interface Deadline {
  /** Resolves like `promise`, or rejects with {@link DoctorTimeoutError} once the deadline passes. */
  within<T>(promise: Promise<T>, what: string): Promise<T>;
  /** Milliseconds left (0 once passed). */
  remainingMs(): number;
}

/** A deadline `timeoutMs` from now. */
export function withDeadline(timeoutMs: number, now: () => number = Date.now): Deadline {
  const end = now() + timeoutMs;
  const remainingMs = () => Math.max(0, end - now());
  return {
    remainingMs,
    within<T>(promise: Promise<T>, what: string): Promise<T> {
      // A command that answers after the deadline must not surface as an unhandled rejection.
      promise.catch(() => undefined);
      const left = remainingMs();
      if (left === 0) return Promise.reject(new DoctorTimeoutError(what, timeoutMs));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DoctorTimeoutError(what, timeoutMs)), left);
      });
      return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
    },
  };
}
