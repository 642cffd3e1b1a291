import { startTimer } from './timers';

/** An event map: event name → the listener's argument tuple. */
export type EventMap<E> = { [K in keyof E]: readonly unknown[] };

/** A listener of event `K` of map `E`. */
export type Listener<E extends EventMap<E>, K extends keyof E> = (...args: E[K]) => void;

/**
 * A small typed event emitter that runs in browsers and Node alike (no `events` import).
 * Listeners run synchronously in registration order; one that throws does not stop the
 * others: its error is rethrown on a fresh stack (like an uncaught error anywhere else)
 * unless `onListenerError` handles it.
 */
export class TypedEmitter<E extends EventMap<E>> {
  private readonly listeners = new Map<keyof E, Set<Listener<E, keyof E>>>();

  /**
   * @param onListenerError called with what a listener threw (default: rethrown from a
   *   timer so it surfaces as an uncaught error without breaking the emitter).
   */
  constructor(private readonly onListenerError: (error: unknown, event: keyof E) => void = rethrowLater) {}

  /** Adds `listener` for `event`; returns a function that removes it. */
  on<K extends keyof E>(event: K, listener: Listener<E, K>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as unknown as Listener<E, keyof E>);
    return () => this.off(event, listener);
  }

  /** Adds a listener that runs at most once; returns a function that removes it. */
  once<K extends keyof E>(event: K, listener: Listener<E, K>): () => void {
    const off = this.on(event, (...args: E[K]) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Removes `listener` from `event` (no-op when absent). */
  off<K extends keyof E>(event: K, listener: Listener<E, K>): void {
    this.listeners.get(event)?.delete(listener as unknown as Listener<E, keyof E>);
  }

  /** How many listeners `event` has. */
  listenerCount(event: keyof E): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Calls every listener of `event` with `args`. */
  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as unknown as Listener<E, K>)(...args);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}

function rethrowLater(error: unknown): void {
  startTimer(() => {
    throw error;
  }, 0);
}
