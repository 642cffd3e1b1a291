/**
 * Milliseconds to wait according to a `Retry-After` header: delay-seconds (`120`) or an
 * HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`, counted from `nowMs`, never negative).
 * Returns `undefined` for a missing or unparseable value.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Date.parse accepts bare numbers and other odd shapes; insist on an HTTP-date with letters.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
