import { startTimer, stopTimer, type TimerHandle } from './timers';
import type { WebSocketLike } from './websocket-like';

/** Starts closing `socket`, ignoring implementations that throw when it is already closing or still connecting. */
export function closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // The socket is abandoned either way; its close event (if any) is ignored by then.
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
export function settleWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: TimerHandle | undefined;
  const timeout = new Promise<void>((resolve) => (timer = startTimer(resolve, ms)));
  return Promise.race([promise, timeout]).finally(() => stopTimer(timer));
}

/** The message of a thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
