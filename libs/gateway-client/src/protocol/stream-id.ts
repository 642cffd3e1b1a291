/** Largest value of either half of a Redis stream id (unsigned 64-bit). */
const MAX_PART = 2n ** 64n - 1n;

const STREAM_ID_PATTERN = /^(0|[1-9]\d{0,19})-(0|[1-9]\d{0,19})$/;

/**
 * Whether `value` is a Redis stream entry id in its canonical form `<ms>-<seq>` (both
 * unsigned 64-bit decimals without leading zeros), as carried by event frames and `since`.
 */
export function isStreamId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = STREAM_ID_PATTERN.exec(value);
  return match !== null && BigInt(match[1]) <= MAX_PART && BigInt(match[2]) <= MAX_PART;
}

/**
 * Orders two stream ids as Redis does: negative when `a` comes first, 0 when equal, positive
 * when `b` comes first. Both must satisfy {@link isStreamId}.
 */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-');
  const [bMs, bSeq] = b.split('-');
  const ms = compareDecimal(aMs, bMs);
  return ms !== 0 ? ms : compareDecimal(aSeq, bSeq);
}

// Canonical decimals: the longer one is larger; equal lengths compare as text.
function compareDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
