/** Limits above which the doctor warns or fails. */
export interface DoctorThresholds {
  /** Median PING round trip above which latency is a warning, in ms (default 5). */
  latencyWarnMs: number;
  /** Share of `maxmemory` in use above which memory is a warning (default 0.8). */
  memoryWarnRatio: number;
  /** Share of `maxmemory` in use above which memory fails (default 0.95). */
  memoryFailRatio: number;
  /** Consumer-group lag (entries not read yet) above which a stream is a warning (default 1000). */
  lagWarn: number;
  /** Pending entries (delivered, not acked) of a group above which a stream is a warning (default 1000). */
  pendingWarn: number;
}

/** The defaults of {@link DoctorThresholds}. */
export const DEFAULT_DOCTOR_THRESHOLDS: Readonly<DoctorThresholds> = Object.freeze({
  latencyWarnMs: 5,
  memoryWarnRatio: 0.8,
  memoryFailRatio: 0.95,
  lagWarn: 1000,
  pendingWarn: 1000,
});
