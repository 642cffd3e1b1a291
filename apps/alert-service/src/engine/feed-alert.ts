import type { FeedStatusData } from '@rebal/redis-client';
import { alertFingerprint, type Transition } from '../rules';
import { feedName } from './event-routing';

/** The `ruleId` and `alertname` label of a stale feed's alert. */
export const FEED_STALE_ALERT = 'feed_stale';

/**
 * A feed's last announced status, as the replica holding its partition keeps it (and the commit
 * that changed it writes it to `{alerts}:feeds`): `stale` from the health monitor's
 * `feed_status` stale announcement to its fresh one.
 */
export interface FeedState {
  /** `<stream>` or `<stream>:<subject>`, e.g. `market_data:BTC`. */
  feed: string;
  /** The watched stream, without the deployment's prefix. */
  stream: string;
  /** The subject watched (a symbol), absent for a whole stream. */
  subject?: string;
  status: 'stale' | 'fresh';
  /** When this status began (the monitor's `since`, Redis clock), epoch ms. */
  since: number;
  /** The feed's newest event when it was judged (absent: never seen), epoch ms. */
  lastEventAt?: number;
  /** How often the feed must see an event, ms. */
  expectedIntervalMs: number;
  /** The `feed_status` entry that set it: a takeover re-reading it (or an older one) changes nothing. */
  entryId: string;
}

/** A feed's state from a `feed_status` event's data. */
export function feedStateOf(data: FeedStatusData, entryId: string): FeedState {
  const lastEventAt = data.lastEventAt === undefined ? undefined : Date.parse(data.lastEventAt);
  return {
    feed: feedName(data.stream, data.subject),
    stream: data.stream,
    ...(data.subject === undefined ? {} : { subject: data.subject }),
    status: data.status,
    since: Date.parse(data.since),
    ...(lastEventAt === undefined || !Number.isFinite(lastEventAt) ? {} : { lastEventAt }),
    expectedIntervalMs: data.expectedIntervalMs,
    entryId,
  };
}

/** The labels of a feed's alert: `{alertname: feed_stale, stream, subject}` (no subject for a whole stream). */
export function feedAlertLabels(state: Pick<FeedState, 'stream' | 'subject'>): Record<string, string> {
  return { alertname: FEED_STALE_ALERT, stream: state.stream, ...(state.subject === undefined ? {} : { subject: state.subject }) };
}

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/**
 * The alert change a new feed status makes, at event time `atMs`: a stale feed raises one S1
 * alert (value: the seconds it had gone without an event when judged stale; threshold: its
 * expected interval in seconds), a fresh one resolves it (value: the seconds it was stale).
 * `undefined` when the status is the one known (a repeated announcement), or a fresh feed
 * that was never stale.
 */
export function feedTransition(known: FeedState | undefined, next: FeedState, atMs: number): Transition | undefined {
  if ((known?.status ?? 'fresh') === next.status) return undefined;
  const labels = feedAlertLabels(next);
  const expected = seconds(next.expectedIntervalMs);
  const stale = next.status === 'stale';
  const value = stale ? (next.lastEventAt === undefined ? 0 : seconds(next.since - next.lastEventAt)) : seconds(next.since - (known?.since ?? next.since));
  const since = next.lastEventAt === undefined ? 'ever' : `since ${new Date(next.lastEventAt).toISOString()}`;
  const summary = stale ? `Feed ${next.feed} is stale: no event ${since} (expected every ${expected} s)` : `Feed ${next.feed} is fresh again after ${value} s stale`;
  return {
    kind: stale ? 'raise' : 'resolve',
    ruleId: FEED_STALE_ALERT,
    severity: 'S1',
    value,
    threshold: expected,
    labels,
    fingerprint: alertFingerprint(labels),
    annotations: {
      summary,
      description: `The health monitor expects an event of ${next.feed} at least every ${expected} s; rules on it see no data while it is stale (their status says no_data).`,
    },
    atMs,
  };
}
