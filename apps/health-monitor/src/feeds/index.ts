// Feed freshness: which streams and subjects must see events how often, a tail that learns when
// each last did, the stale/fresh verdicts, their feed_status announcements and metrics.
export { FeedAnnouncer, feedStatusData, type FeedAnnouncerOptions } from './feed-announcer';
export { DEFAULT_FEED_EXPECTATIONS, isFeedSubject, parseFeedExpectations, shortestIntervalMs, subjectIntervalMs, type FeedExpectations, type StreamExpectation } from './feed-expectations';
export { registerFeedMetrics, type RegisterFeedMetricsOptions } from './feed-metrics';
export { entryFacts, FeedTail, type FeedTailOptions, type TailedStream } from './feed-tail';
export { FeedTracker, type FeedRecord, type FeedTrackerOptions, type RefusedSubjectReason } from './feed-tracker';
export { compareFeeds, feedKey, findFeedTransitions, type AnnouncedStale, type FeedState } from './feed-transitions';
export { FeedWatcher, type FeedLease, type FeedReport, type FeedWatcherOptions } from './feed-watcher';
export { judgeFeed, STALE_FACTOR, type FeedStatus, type FeedVerdict, type JudgeFeedInput } from './judge-feed';
