const STREAM_ID_PATTERN = /^(0|[1-9]\d*)-(0|[1-9]\d*)$/;

/** Whether `value` is a stream entry id in canonical form `<ms>-<seq>` (decimals, no leading zeros). */
export function isStreamId(value: unknown): value is string {
  return typeof value === 'string' && STREAM_ID_PATTERN.test(value);
}

/**
 * Orders two canonical stream ids as Redis does: negative when `a` comes first, 0 when
 * equal, positive when `b` comes first. Compares the decimal text, so 64-bit parts never
 * lose precision.
 */
export function compareStreamIds(a: string, b: string): number {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  const ms = compareDecimal(a.slice(0, dashA), b.slice(0, dashB));
  return ms !== 0 ? ms : compareDecimal(a.slice(dashA + 1), b.slice(dashB + 1));
}

// Canonical decimals: the longer one is larger; equal lengths compare as text.
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
