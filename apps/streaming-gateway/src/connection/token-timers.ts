/** Longest delay `setTimeout` honours (about 24.8 days); longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** What {@link TokenTimers.schedule} calls, and when. */
export interface TokenTimerCallbacks {
  /** Called once, `leadMs` before `expiresAtMs` (at once if that is already past). */
  readonly onExpiring: (expiresInMs: number) => void;
  /** Called at `expiresAtMs`. */
  readonly onExpired: () => void;
}

/**
 * The two timers of an authenticated connection: `token_expiring` ahead of the expiry, and
 * the close at the expiry. Scheduling again (a refresh) replaces both. Timers do not keep
 * the process alive, and any delay works (long ones are chained).
 */
export class TokenTimers {
  private expiring?: NodeJS.Timeout;
  private expired?: NodeJS.Timeout;

  /** (Re)schedules both timers for a token that ends at `expiresAtMs` (ms since the epoch). */
  schedule(expiresAtMs: number, leadMs: number, callbacks: TokenTimerCallbacks, now = Date.now()): void {
    this.clear();
    const warnAt = expiresAtMs - leadMs;
    if (warnAt <= now) {
      callbacks.onExpiring(Math.max(0, expiresAtMs - now));
    } else {
      this.expiring = at(warnAt, () => callbacks.onExpiring(Math.max(0, expiresAtMs - Date.now())), (timer) => (this.expiring = timer));
    }
    this.expired = at(expiresAtMs, callbacks.onExpired, (timer) => (this.expired = timer));
  }

  /** Cancels both timers. Idempotent. */
  clear(): void {
    clearTimeout(this.expiring);
    clearTimeout(this.expired);
    this.expiring = undefined;
    this.expired = undefined;
  }
}

/** Runs `callback` at wall-clock time `whenMs`, re-arming through `track` while the wait exceeds one timeout. */
function at(whenMs: number, callback: () => void, track: (timer: NodeJS.Timeout) => void): NodeJS.Timeout {
  const wait = Math.max(0, whenMs - Date.now());
  const timer = setTimeout(() => {
    if (whenMs - Date.now() > 0) track(at(whenMs, callback, track));
    else callback();
  }, Math.min(wait, MAX_TIMEOUT_MS));
  timer.unref();
  return timer;
}
