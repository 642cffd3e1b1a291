/** Thrown by `StreamPublisher.publish` for an event its schemas refuse; nothing was written. */
export class EventValidationError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_EVENT_INVALID';

  /**
   * @param reason Why the event was refused, e.g. `data/price must be > 0`.
   * @param stream The stream it was meant for.
   */
  constructor(
    readonly reason: string,
    readonly stream: string,
  ) {
    super(`invalid event for stream ${stream}: ${reason}`);
    this.name = 'EventValidationError';
  }
}
