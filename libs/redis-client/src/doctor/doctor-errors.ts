/** Thrown when a Redis command of the doctor does not answer before the run's deadline. */
export class DoctorTimeoutError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_DOCTOR_TIMEOUT';

  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer within ${timeoutMs} ms`);
    this.name = 'DoctorTimeoutError';
  }
}

/** Thrown by `runDoctor` for an invalid option (e.g. a non-positive `timeoutMs`). */
export class DoctorOptionsError extends Error {
  /** Stable code callers test instead of the message. */
  readonly code = 'ERR_DOCTOR_OPTIONS';

  constructor(
    /** The offending option. */
    readonly option: string,
    message: string,
  ) {
    super(`runDoctor: ${option} ${message}`);
    this.name = 'DoctorOptionsError';
  }
}
