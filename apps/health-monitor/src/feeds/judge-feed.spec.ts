import { compareFeeds, findFeedTransitions, type FeedState } from './feed-transitions';
import { judgeFeed, STALE_FACTOR, type FeedVerdict } from './judge-feed';

const INTERVAL = 1_000;
const THRESHOLD = INTERVAL * STALE_FACTOR;
const T0 = 1_700_000_000_000;

describe('judgeFeed', () => {
  const judge = (input: { previous?: FeedVerdict; lastSeenMs?: number; observingSinceMs?: number; nowMs: number }) =>
    judgeFeed({ observingSinceMs: T0, intervalMs: INTERVAL, ...input });

  it('keeps a feed fresh while its newest event is within 1.5 times its interval', () => {
    expect(judge({ lastSeenMs: T0 + 100, nowMs: T0 + 100 + THRESHOLD })).toEqual({ status: 'fresh', sinceMs: T0 + 100, lastSeenMs: T0 + 100 });
    const previous: FeedVerdict = { status: 'fresh', sinceMs: T0, lastSeenMs: T0 };
    expect(judge({ previous, lastSeenMs: T0 + 900, nowMs: T0 + 2_000 })).toEqual({ status: 'fresh', sinceMs: T0, lastSeenMs: T0 + 900 });
  });

  it('turns stale once the newest event is older than the threshold, since the moment it passed it', () => {
    const previous: FeedVerdict = { status: 'fresh', sinceMs: T0, lastSeenMs: T0 + 200 };
    expect(judge({ previous, lastSeenMs: T0 + 200, nowMs: T0 + 200 + THRESHOLD + 1 })).toEqual({ status: 'stale', sinceMs: T0 + 200 + THRESHOLD, lastSeenMs: T0 + 200 });
  });

  it('never blames silence it did not observe: it counts from when observation began', () => {
    // The newest event is an hour old, but the monitor has read the stream only since T0.
    const lastSeenMs = T0 - 3_600_000;
    expect(judge({ lastSeenMs, nowMs: T0 + THRESHOLD })).toMatchObject({ status: 'fresh' });
    expect(judge({ lastSeenMs, nowMs: T0 + THRESHOLD + 1 })).toEqual({ status: 'stale', sinceMs: T0 + THRESHOLD, lastSeenMs });
  });

  it('judges a feed never seen from when observation began, and reports no event time', () => {
    expect(judge({ nowMs: T0 + 10 })).toEqual({ status: 'fresh', sinceMs: T0 });
    expect(judge({ nowMs: T0 + THRESHOLD + 1 })).toEqual({ status: 'stale', sinceMs: T0 + THRESHOLD });
  });

  it('keeps a stale feed stale until a newer event arrives, then fresh since that event', () => {
    const stale: FeedVerdict = { status: 'stale', sinceMs: T0 + THRESHOLD, lastSeenMs: T0 };
    expect(judge({ previous: stale, lastSeenMs: T0, nowMs: T0 + 60_000 })).toBe(stale);
    expect(judge({ previous: stale, lastSeenMs: T0 + 59_000, nowMs: T0 + 59_500 })).toEqual({ status: 'fresh', sinceMs: T0 + 59_000, lastSeenMs: T0 + 59_000 });
    const neverSeen: FeedVerdict = { status: 'stale', sinceMs: T0 + THRESHOLD };
    expect(judge({ previous: neverSeen, lastSeenMs: T0 + 5_000, nowMs: T0 + 5_001 })).toEqual({ status: 'fresh', sinceMs: T0 + 5_000, lastSeenMs: T0 + 5_000 });
  });

  it('does not call a stale feed fresh because the monitor restarted or reconnected (observation began again)', () => {
    const stale: FeedVerdict = { status: 'stale', sinceMs: T0 + THRESHOLD, lastSeenMs: T0 };
    expect(judge({ previous: stale, lastSeenMs: T0, observingSinceMs: T0 + 60_000, nowMs: T0 + 60_001 })).toBe(stale);
  });

  it('does not call a stale feed fresh for a newer event that is itself past the threshold', () => {
    const stale: FeedVerdict = { status: 'stale', sinceMs: T0 + THRESHOLD, lastSeenMs: T0 };
    expect(judge({ previous: stale, lastSeenMs: T0 + 10_000, nowMs: T0 + 10_000 + THRESHOLD + 1 })).toBe(stale);
  });
});

describe('findFeedTransitions', () => {
  const feed = (key: string, status: 'stale' | 'fresh'): FeedState => ({ key, stream: 'market_data', subject: key.split(':')[1], intervalMs: INTERVAL, status, sinceMs: T0 });

  it('announces stale feeds not announced yet and fresh feeds announced stale, nothing else', () => {
    const announced = new Map([['market_data:ETH', { sinceMs: T0 }], ['market_data:SOL', { sinceMs: T0 }]]);
    const current = [feed('market_data:BTC', 'stale'), feed('market_data:ETH', 'stale'), feed('market_data:SOL', 'fresh'), feed('market_data:ADA', 'fresh')];
    expect(findFeedTransitions(announced, current).map((f) => `${f.key} ${f.status}`)).toEqual(['market_data:BTC stale', 'market_data:SOL fresh']);
    expect(findFeedTransitions(new Map(), [feed('market_data:ADA', 'fresh')])).toEqual([]);
  });

  it('lists stale feeds first, then by key', () => {
    const sorted = [feed('market_data:B', 'fresh'), feed('market_data:C', 'stale'), feed('market_data:A', 'fresh'), feed('market_data:D', 'stale')].sort(compareFeeds);
    expect(sorted.map((f) => f.key)).toEqual(['market_data:C', 'market_data:D', 'market_data:A', 'market_data:B']);
  });
});
