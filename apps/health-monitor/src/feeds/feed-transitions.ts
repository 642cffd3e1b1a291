import type { FeedStatus } from './judge-feed';

/** One watched feed as the monitor judges it now. Times are Redis ms. */
export interface FeedState {
  /** `<stream>` for a whole-stream feed, `<stream>:<subject>` for a subject's: the subject of its `feed_status` events. */
  key: string;
  /** The stream, without the deployment's prefix. */
  stream: string;
  /** The subject; undefined for a whole-stream feed. */
  subject?: string;
  /** Expected interval in ms. */
  intervalMs: number;
  status: FeedStatus;
  /** When this status began. */
  sinceMs: number;
  /** The newest event seen; undefined when none was. */
  lastSeenMs?: number;
}

/** A stale feed as announced (the monitor records only stale ones: a feed not recorded was last announced fresh, or never). */
export interface AnnouncedStale {
  sinceMs: number;
  lastSeenMs?: number;
}

/** `<stream>` or `<stream>:<subject>`: a feed's key, the subject of its events. */
export function feedKey(stream: string, subject?: string): string {
  return subject === undefined ? stream : `${stream}:${subject}`;
}

/**
 * The feeds whose status differs from the one announced: stale and not recorded as stale, or
 * fresh and recorded as stale. Pure. A fresh feed never announced stale is no news.
 */
export function findFeedTransitions(announced: ReadonlyMap<string, AnnouncedStale>, current: readonly FeedState[]): FeedState[] {
  return current.filter((feed) => (feed.status === 'stale') !== announced.has(feed.key));
}

/** Stale first, then by key: how `/api/v1/status` lists feeds. */
export function compareFeeds(a: FeedState, b: FeedState): number {
  if (a.status !== b.status) return a.status === 'stale' ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
