import { entryFacts } from './feed-tail';
import { parseFeedExpectations } from './feed-expectations';
import { FeedTracker, type RefusedSubjectReason } from './feed-tracker';

const STREAMS = ['market_data', 'risk_events'];

function tracker(text: string, maxSubjects = 100) {
  const refused: Array<[string, RefusedSubjectReason]> = [];
  const t = new FeedTracker({ expectations: parseFeedExpectations(text, STREAMS), maxSubjects, onRefused: (stream, reason) => refused.push([stream, reason]) });
  const seen = () => Object.fromEntries([...t.records()].map((r) => [r.key, r.lastSeenMs]));
  return { t, refused, seen };
}

describe('FeedTracker', () => {
  it('watches whole streams and named subjects from the start, and other subjects once seen', () => {
    const { t, seen } = tracker('market_data:*=5s,market_data:BTC=2s,market_data:USDT=off,risk_events=1m');
    expect(seen()).toEqual({ risk_events: undefined, 'market_data:BTC': undefined });
    t.observe('market_data', 'ETH', 10);
    t.observe('market_data', 'USDT', 11);
    t.observe('risk_events', 'p-1', 12);
    t.observe('portfolio_updates', 'p-1', 13);
    expect(seen()).toEqual({ risk_events: 12, 'market_data:BTC': undefined, 'market_data:ETH': 10 });
    expect(t.streamNames.sort()).toEqual(['market_data', 'risk_events']);
    expect([...t.records()].find((r) => r.key === 'market_data:ETH')?.intervalMs).toBe(5_000);
  });

  it('keeps the newest time: an older event changes nothing', () => {
    const { t, seen } = tracker('market_data=1s,market_data:*=5s');
    t.observe('market_data', 'BTC', 20);
    t.observe('market_data', 'BTC', 15);
    expect(seen()).toEqual({ market_data: 20, 'market_data:BTC': 20 });
  });

  it('hostile input: entries without a subject count for the whole stream only and add no feed', () => {
    const { t, refused } = tracker('market_data=1s,market_data:*=5s');
    for (let i = 0; i < 10_000; i++) t.observe('market_data', undefined, i);
    expect(t.size).toBe(1);
    expect(refused).toEqual([]);
  });

  it('hostile input: a huge or malformed subject is refused and counted, never stored', () => {
    const { t, refused, seen } = tracker('market_data=1s,market_data:*=5s');
    t.observe('market_data', 'X'.repeat(1_000_000), 1);
    t.observe('market_data', 'two words', 2);
    t.observe('market_data', '', 3);
    t.observe('market_data', 'a*', 4);
    expect(seen()).toEqual({ market_data: 4 });
    expect(refused).toEqual([['market_data', 'invalid'], ['market_data', 'invalid'], ['market_data', 'invalid'], ['market_data', 'invalid']]);
  });

  it('hostile input: random subjects stop at the cap, counted; named subjects and known ones keep working', () => {
    const { t, refused, seen } = tracker('market_data:*=5s,market_data:BTC=2s', 50);
    for (let i = 0; i < 20_000; i++) t.observe('market_data', `junk-${i}`, i);
    expect(t.size).toBe(51);
    expect(refused.length).toBe(20_000 - 50);
    expect(new Set(refused.map(([, reason]) => reason))).toEqual(new Set(['cap']));
    t.observe('market_data', 'BTC', 30_000);
    t.observe('market_data', 'junk-0', 30_001);
    expect(seen()['market_data:BTC']).toBe(30_000);
    expect(seen()['market_data:junk-0']).toBe(30_001);
    expect(t.size).toBe(51);
  });

  it('finds a feed by key, learning a subject within the same limits', () => {
    const { t, refused } = tracker('market_data:*=5s,risk_events=1m', 1);
    expect(t.find('risk_events')?.key).toBe('risk_events');
    expect(t.find('market_data')).toBeUndefined();
    expect(t.find('market_data:BTC')?.key).toBe('market_data:BTC');
    expect(t.find('market_data:ETH')).toBeUndefined();
    expect(t.find('alerts:x')).toBeUndefined();
    expect(refused).toEqual([['market_data', 'cap']]);
  });
});

describe('entryFacts', () => {
  it('reads subject, type and source in one pass, the last of a repeated field winning', () => {
    expect(entryFacts(['type', 'price_update', 'subject', 'BTC', 'data', '{}', 'source', '/sim', 'subject', 'ETH'])).toEqual({ type: 'price_update', subject: 'ETH', source: '/sim' });
  });

  it('ignores a dangling field name and finds nothing in an empty entry', () => {
    expect(entryFacts(['subject'])).toEqual({});
    expect(entryFacts([])).toEqual({});
  });
});
