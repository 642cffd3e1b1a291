/**
 * A feed is stale once its newest event is older than its expected interval times this. 1.5
 * tolerates a normal gap half again as long as expected, and keeps the announcement within 2×
 * the interval of the feed stopping (the evaluation runs at a tenth of the threshold).
 */
export const STALE_FACTOR = 1.5;

/** Whether a feed's events arrive as expected. */
export type FeedStatus = 'stale' | 'fresh';

/** A feed's status as last judged: what the next judgement starts from. */
export interface FeedVerdict {
  status: FeedStatus;
  /** When this status began, Redis ms. */
  sinceMs: number;
  /** Redis ms of the newest event when it was judged; undefined when none was seen. */
  lastSeenMs?: number;
}

/** What {@link judgeFeed} decides on. All times are Redis ms (stream ids and the Redis clock). */
export interface JudgeFeedInput {
  /** The verdict before; undefined the first time. */
  previous?: FeedVerdict;
  /** Redis ms of the feed's newest event; undefined when none was ever seen. */
  lastSeenMs?: number;
  /** Since when the monitor has read the stream without a break: silence it did not observe is nobody's fault. */
  observingSinceMs: number;
  /** The feed's expected interval in ms. */
  intervalMs: number;
  /** Now, on the Redis clock. */
  nowMs: number;
}

/**
 * The status of one feed now. Pure. Decision table (threshold = interval × {@link STALE_FACTOR},
 * silence = now − the later of the newest event and the start of observation):
 *
 * | before          | condition                                                        | now                                  |
 * |-----------------|------------------------------------------------------------------|--------------------------------------|
 * | stale           | an event newer than the stale verdict's, itself within threshold  | fresh, since that event              |
 * | stale           | otherwise (no new event; a gap in observation changes nothing)   | stale, unchanged                     |
 * | fresh or none   | silence > threshold                                              | stale, since silence began + threshold |
 * | fresh           | otherwise                                                        | fresh, unchanged                     |
 * | none            | otherwise                                                        | fresh, since its newest event (or observation start) |
 *
 * So a stale feed recovers only on a new event, never because the monitor restarted or
 * reconnected, and a feed is never stale for silence the monitor could not observe.
 */
export function judgeFeed(input: JudgeFeedInput): FeedVerdict {
  const { previous, lastSeenMs, observingSinceMs, intervalMs, nowMs } = input;
  const thresholdMs = intervalMs * STALE_FACTOR;
  const seen = lastSeenMs === undefined ? {} : { lastSeenMs };
  if (previous?.status === 'stale') {
    const newer = lastSeenMs !== undefined && (previous.lastSeenMs === undefined || lastSeenMs > previous.lastSeenMs);
    if (newer && nowMs - lastSeenMs <= thresholdMs) return { status: 'fresh', sinceMs: lastSeenMs, lastSeenMs };
    return previous;
  }
  const silentFromMs = Math.max(lastSeenMs ?? -Infinity, observingSinceMs);
  if (nowMs - silentFromMs > thresholdMs) return { status: 'stale', sinceMs: silentFromMs + thresholdMs, ...seen };
  if (previous) return { ...previous, ...seen };
  return { status: 'fresh', sinceMs: lastSeenMs ?? observingSinceMs, ...seen };
}
