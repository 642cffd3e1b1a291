/** Alert severity: `S1` info, `S2` major, `S3` critical. */
export type Severity = 'S1' | 'S2' | 'S3';

/** Every severity, least severe first. */
export const SEVERITIES: readonly Severity[] = ['S1', 'S2', 'S3'];

/** What each severity means to people: S1 info, S2 major, S3 critical. */
export const SEVERITY_NAMES: Readonly<Record<Severity, 'info' | 'major' | 'critical'>> = {
  S1: 'info',
  S2: 'major',
  S3: 'critical',
};

/** Rank of a severity: 1 for S1 up to 3 for S3 (higher is worse). */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity) + 1;
}

/** Whether `value` is one of `S1`, `S2`, `S3`. */
export function isSeverity(value: unknown): value is Severity {
  return value === 'S1' || value === 'S2' || value === 'S3';
}
