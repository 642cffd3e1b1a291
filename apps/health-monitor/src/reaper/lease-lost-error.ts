/**
 * Thrown before a lease-holder-only write when this replica no longer holds the lease with
 * enough of its lifetime left for the write to reach Redis before the lease could pass to
 * another replica. The duty stops; the holder of the lease carries on. Test `code`.
 */
export class LeaseLostError extends Error {
  /** Stable code callers test. */
  readonly code = 'ERR_LEASE_LOST';

  constructor(
    /** The lease key. */
    readonly key: string,
  ) {
    super(`the housekeeping lease ${key} is no longer held safely: the duty stops here`);
    this.name = 'LeaseLostError';
  }
}

/** What a lease-holder-only duty needs of the lease: a check before every write. */
export interface LeaseCheck {
  /** Throws {@link LeaseLostError} unless the lease is held with enough of its lifetime left to write now. */
  assertHeld(): void;
}
