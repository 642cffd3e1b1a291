import { startTimer, stopTimer, type TimerHandle } from './timers';

/**
 * Calls `onIdle` whenever `idleMs` pass without a `touch()`. Cheap per frame: `touch()` only
 * records the time; the timer re-arms itself for the remaining idle time when it fires early.
 */
export class IdleWatchdog {
  private lastTouch = Date.now();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
  ) {
    this.arm();
  }

  /** Something was received: the line is alive. */
  touch(): void {
    this.lastTouch = Date.now();
  }

  /** Stops watching (idempotent). */
  stop(): void {
    stopTimer(this.timer);
    this.timer = undefined;
    this.lastTouch = Number.POSITIVE_INFINITY;
  }

  private arm(): void {
    const wait = Math.max(0, this.lastTouch + this.idleMs - Date.now());
    this.timer = startTimer(() => {
      if (this.lastTouch === Number.POSITIVE_INFINITY) return;
      if (Date.now() - this.lastTouch >= this.idleMs) {
        this.lastTouch = Date.now();
        this.onIdle();
      }
      if (this.lastTouch !== Number.POSITIVE_INFINITY) this.arm();
    }, wait);
  }
}
