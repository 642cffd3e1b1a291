import type { RuleKind } from '../rules';

/** Event families: `m` prices, `d` portfolio snapshots (drift), `r` risk metrics, `h` service health, `f` feed statuses. */
export type EventFamily = 'm' | 'd' | 'r' | 'h' | 'f';

/** Where an evaluated event goes: its family and the key its partition is the hash of. */
export interface EventRoute {
  readonly family: EventFamily;
  /** The symbol, the portfolio id (snapshots, risk metrics), the service, or a feed's (see {@link feedRouteKey}). */
  readonly key: string;
}

/** The stream whose per-subject feeds are a symbol's prices: a `feed_status` of one goes to the symbol's partition. */
export const PRICE_FEED_STREAM = 'market_data';
const PRICE_FEED_PREFIX = `${PRICE_FEED_STREAM}:`;

/** A feed's name, as its `feed_status` events' subject: `<stream>:<subject>`, or `<stream>` for a whole stream. */
export function feedName(stream: string, subject: string | undefined): string {
  return subject === undefined ? stream : `${stream}:${subject}`;
}

/**
 * The partition key of a feed: a symbol's price feed (`market_data:BTC`) goes with the symbol
 * (`BTC`), so the replica holding the symbol's price rules holds its feed status too; any
 * other feed by its name.
 */
export function feedRouteKey(feed: string): string {
  return feed.startsWith(PRICE_FEED_PREFIX) ? feed.slice(PRICE_FEED_PREFIX.length) : feed;
}

/**
 * What an entry's `subject` field routes by: the subject itself, except for a `feed_status`
 * of a symbol's price feed, routed with the symbol (see {@link feedRouteKey}). `typeOf` reads
 * the entry's `type` field, only for subjects that look like a price feed's.
 */
export function routingSubject(subject: string, typeOf: () => string | undefined): string {
  return subject.startsWith(PRICE_FEED_PREFIX) && typeOf() === 'feed_status' ? feedRouteKey(subject) : subject;
}

/** Separator inside composite keys: no symbol, portfolio, metric or service contains it in practice, and none is refused for it. */
const SEP = '\u0000';

const FAMILY_OF_TYPE: Readonly<Record<string, EventFamily>> = { price_update: 'm', portfolio_snapshot: 'd', risk_metric: 'r', system_status: 'h', feed_status: 'f' };

/**
 * The route of an evaluated event from its payload (already validated): the symbol of a
 * `price_update`, the `portfolioId` of a `portfolio_snapshot`, the `portfolioId` of a
 * `risk_metric` or else its `subject` (as the risk rules read it), the `service` of a
 * `system_status`, the feed of a `feed_status` ({@link feedRouteKey}). `undefined` for a type
 * the engine does not evaluate.
 */
export function routeOf(type: string, data: unknown, subject: string | undefined): EventRoute | undefined {
  const family = FAMILY_OF_TYPE[type];
  if (family === undefined) return undefined;
  const payload = (data ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  switch (family) {
    case 'm':
      return { family, key: text(payload['symbol']) ?? '' };
    case 'd':
      return { family, key: text(payload['portfolioId']) ?? '' };
    case 'r':
      return { family, key: text(payload['portfolioId']) ?? subject ?? '' };
    case 'h':
      return { family, key: text(payload['service']) ?? '' };
    case 'f':
      return { family, key: feedRouteKey(feedName(text(payload['stream']) ?? '', text(payload['subject']))) };
  }
}

/** The active-set key of a route: rules with a non-inactive state there see every event of the route. */
export function routingKey(route: EventRoute): string {
  return `${route.family}${SEP}${route.key}`;
}

/**
 * The partition of a routing key: FNV-1a (32 bit) of its UTF-16 code units, modulo the number of
 * partitions. Stable across processes and versions: it decides which replica evaluates what.
 */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}

/** The subject of a symbol's prices. */
export function priceSubject(symbol: string): string {
  return `m${SEP}${symbol}`;
}

/**
 * What an observation of a rule of `kind` with `labels` watches: the symbol of a price rule,
 * (portfolio, symbol) of a drift rule, (metric, portfolio, window) of a risk rule, (service,
 * instance) of a health rule. An inactive state's last event time is its subject's newest.
 */
export function subjectOf(kind: RuleKind, labels: Readonly<Record<string, string>>): string {
  switch (kind) {
    case 'price_threshold':
    case 'price_change':
      return priceSubject(labels['symbol'] ?? '');
    case 'portfolio_drift':
      return `d${SEP}${labels['portfolioId'] ?? ''}${SEP}${labels['symbol'] ?? ''}`;
    case 'risk_threshold':
      return `r${SEP}${labels['metric'] ?? ''}${SEP}${labels['portfolioId'] ?? ''}${SEP}${labels['window'] ?? ''}`;
    case 'service_health':
      return `h${SEP}${labels['service'] ?? ''}${SEP}${labels['instance'] ?? ''}`;
  }
}

/** The route of a held state (from its rule kind and labels), to find its active set. */
export function routeOfLabels(kind: RuleKind, labels: Readonly<Record<string, string>>): EventRoute {
  switch (kind) {
    case 'price_threshold':
    case 'price_change':
      return { family: 'm', key: labels['symbol'] ?? '' };
    case 'portfolio_drift':
      return { family: 'd', key: labels['portfolioId'] ?? '' };
    case 'risk_threshold':
      return { family: 'r', key: labels['portfolioId'] ?? '' };
    case 'service_health':
      return { family: 'h', key: labels['service'] ?? '' };
  }
}

/**
 * Every subject an event carries for the rules of its route, whether or not a rule observed it
 * (their inactive states' last event time moves with it): the symbol; each symbol a snapshot
 * holds or targets; the metric's (metric, portfolio, window); the service's (service, instance).
 */
export function subjectsOfEvent(route: EventRoute, data: unknown): string[] {
  const payload = (data ?? {}) as Record<string, unknown>;
  switch (route.family) {
    case 'm':
      return [priceSubject(route.key)];
    case 'd': {
      const symbols = new Set<string>();
      for (const holding of (payload['holdings'] as Array<{ symbol?: unknown }> | undefined) ?? []) if (typeof holding.symbol === 'string') symbols.add(holding.symbol);
      for (const symbol of Object.keys((payload['targets'] as Record<string, unknown> | undefined) ?? {})) symbols.add(symbol);
      return [...symbols].map((symbol) => `d${SEP}${route.key}${SEP}${symbol}`);
    }
    case 'r': {
      const window = typeof payload['window'] === 'string' ? payload['window'] : '';
      return [`r${SEP}${String(payload['metric'] ?? '')}${SEP}${route.key}${SEP}${window}`];
    }
    case 'h': {
      const instance = typeof payload['instance'] === 'string' ? payload['instance'] : '';
      return [`h${SEP}${route.key}${SEP}${instance}`];
    }
    case 'f':
      return [];
  }
}
