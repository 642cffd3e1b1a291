/**
 * The rule engine of one replica, in memory: the rules indexed by what they watch, the rule
 * states, price series and feed statuses of the partitions it owns, timers, and how events are
 * routed to partitions. No Redis here: `processing/` commits and checkpoints what it says.
 */
export { AlertEngine, decodeHeld, encodeHeld, type EngineEvent, type EngineWork } from './alert-engine';
export {
  PRICE_FEED_STREAM,
  feedName,
  feedRouteKey,
  partitionOf,
  priceSubject,
  routeOf,
  routeOfLabels,
  routingKey,
  routingSubject,
  subjectOf,
  subjectsOfEvent,
  type EventFamily,
  type EventRoute,
} from './event-routing';
export { FEED_STALE_ALERT, feedAlertLabels, feedStateOf, feedTransition, type FeedState } from './feed-alert';
export { Partition, type HeldState, type SubjectTime } from './partition';
export { PriceBook } from './price-book';
export { MIN_PRICE_KEEP_MS, NO_TRIM, PRICE_KEEP_MARGIN_MS, PriceSeries } from './price-series';
export { RuleBook } from './rule-book';
