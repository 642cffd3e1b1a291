/**
 * An event's evaluation kept losing its compare-and-set against concurrent writers. The
 * consumer leaves the entry pending; it is retried on a later delivery.
 */
export class EvaluationConflictError extends Error {
  /** Stable code. */
  readonly code = 'ERR_EVALUATION_CONFLICT';

  /**
   * @param eventId the event (or `tick`) that gave up
   * @param attempts how many times it was tried
   */
  constructor(eventId: string, attempts: number) {
    super(`evaluation of ${eventId} conflicted ${attempts} times with concurrent writers`);
    this.name = 'EvaluationConflictError';
  }
}
