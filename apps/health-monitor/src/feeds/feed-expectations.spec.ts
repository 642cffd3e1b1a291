import { ConfigError, STREAM_NAMES } from '@rebal/redis-client';
import { parseHealthMonitorConfig } from '../config';
import { DEFAULT_FEED_EXPECTATIONS, isFeedSubject, parseFeedExpectations, shortestIntervalMs, subjectIntervalMs, type StreamExpectation } from './feed-expectations';

const STREAMS = [...STREAM_NAMES, 'orders'];
const parse = (text: string) => parseFeedExpectations(text, STREAMS);
const plain = (e: StreamExpectation | undefined) => e && { ...e, subjects: Object.fromEntries(e.subjects) };

describe('parseFeedExpectations', () => {
  it('reads the default: every market_data subject, once seen, every 5 s', () => {
    const expectations = parse(DEFAULT_FEED_EXPECTATIONS);
    expect([...expectations.keys()]).toEqual(['market_data']);
    expect(plain(expectations.get('market_data'))).toEqual({ stream: 'market_data', perSubjectMs: 5_000, subjects: {} });
  });

  it('reads whole streams, per-subject defaults, named subjects and off, with blanks around entries', () => {
    const expectations = parse(' market_data:*=5s , market_data:BTC=2s,market_data:USDT=off, risk_events=1m,orders=500ms,market_data=1s ');
    expect(plain(expectations.get('market_data'))).toEqual({ stream: 'market_data', wholeStreamMs: 1_000, perSubjectMs: 5_000, subjects: { BTC: 2_000, USDT: null } });
    expect(plain(expectations.get('risk_events'))).toEqual({ stream: 'risk_events', wholeStreamMs: 60_000, subjects: {} });
    expect(plain(expectations.get('orders'))).toEqual({ stream: 'orders', wholeStreamMs: 500, subjects: {} });
    const market = expectations.get('market_data') as StreamExpectation;
    expect([subjectIntervalMs(market, 'BTC'), subjectIntervalMs(market, 'ETH'), subjectIntervalMs(market, 'USDT')]).toEqual([2_000, 5_000, undefined]);
    expect(shortestIntervalMs(expectations)).toBe(500);
  });

  it('takes the stream up to the first ":", so a subject may contain ":" and "="', () => {
    const expectations = parse('portfolio_updates:p:1=10s,risk_events:a=b=1m');
    expect(plain(expectations.get('portfolio_updates'))?.subjects).toEqual({ 'p:1': 10_000 });
    expect(plain(expectations.get('risk_events'))?.subjects).toEqual({ 'a=b': 60_000 });
  });

  it('watches nothing for none', () => {
    expect(parse('none').size).toBe(0);
    expect(parse(' NONE ').size).toBe(0);
    expect(shortestIntervalMs(parse('none'))).toBeUndefined();
  });

  it('names a named subject without a default: only it is watched', () => {
    const market = parse('market_data:BTC=2s').get('market_data') as StreamExpectation;
    expect([subjectIntervalMs(market, 'BTC'), subjectIntervalMs(market, 'ETH')]).toEqual([2_000, undefined]);
  });

  it.each([
    ['', /no entry/],
    [' , ', /no entry/],
    ['market_data', /is not `<stream>=<interval>`/],
    ['=5s', /is not `<stream>=<interval>`/],
    ['nowhere=5s', /stream nowhere is not watched \(the platform's streams and HEALTH_EXTRA_STREAMS: market_data, .*orders\)/],
    ['market data=5s', /"market data" is not a stream name/],
    ['market_data:*=fast', /"fast" is not a duration/],
    ['market_data:*=5', /interval must be between 100ms and 168h/],
    ['market_data:*=8d', /interval must be between 100ms and 168h/],
    ['market_data=off', /only a named subject can be off/],
    ['market_data:*=off', /only a named subject can be off/],
    ['market_data:=5s', /the subject must be 1 to 256 characters/],
    ['market_data:B TC=5s', /the subject must be 1 to 256 characters/],
    ['market_data:BT*=5s', /the subject must be 1 to 256 characters/],
    [`market_data:${'X'.repeat(257)}=5s`, /the subject must be 1 to 256 characters/],
    ['market_data:*=5s,market_data:*=2s', /market_data:\* is given twice/],
    ['market_data:BTC=5s,market_data:BTC=off', /market_data:BTC is given twice/],
    ['risk_events=1m,risk_events=2m', /risk_events is given twice/],
  ])('refuses %j', (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });

  it('quotes at most 80 characters of a bad entry', () => {
    try {
      parse(`${'y'.repeat(10_000)}=5s`);
      throw new Error('accepted');
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(400);
    }
  });
});

describe('isFeedSubject', () => {
  it('accepts what a channel subject may be, and nothing else', () => {
    expect(['BTC', 'p-1', 'a:b', 'é', 'X'.repeat(256)].map(isFeedSubject)).toEqual([true, true, true, true, true]);
    expect(['', 'a b', 'a\tb', 'a\u0000b', 'a*', 'X'.repeat(257)].map(isFeedSubject)).toEqual([false, false, false, false, false, false]);
  });
});

describe('HEALTH_FEED_EXPECTATIONS and HEALTH_FEED_MAX_SUBJECTS in the monitor\'s configuration', () => {
  it('default to every market_data symbol once seen, every 5 s, and 1000 learned subjects', () => {
    const { feeds } = parseHealthMonitorConfig({});
    expect(plain(feeds.expectations.get('market_data'))).toEqual({ stream: 'market_data', perSubjectMs: 5_000, subjects: {} });
    expect(feeds.maxSubjects).toBe(1_000);
  });

  it('accept a stream named in HEALTH_EXTRA_STREAMS', () => {
    const { feeds } = parseHealthMonitorConfig({ HEALTH_EXTRA_STREAMS: 'orders', HEALTH_FEED_EXPECTATIONS: 'orders=30s', HEALTH_FEED_MAX_SUBJECTS: '50' });
    expect(plain(feeds.expectations.get('orders'))).toEqual({ stream: 'orders', wholeStreamMs: 30_000, subjects: {} });
    expect(feeds.maxSubjects).toBe(50);
  });

  it.each([
    ['HEALTH_FEED_EXPECTATIONS', { HEALTH_FEED_EXPECTATIONS: 'orders=30s' }, /stream orders is not watched/],
    ['HEALTH_FEED_EXPECTATIONS', { HEALTH_FEED_EXPECTATIONS: 'market_data:*=soon' }, /"soon" is not a duration/],
    ['HEALTH_FEED_MAX_SUBJECTS', { HEALTH_FEED_MAX_SUBJECTS: '0' }, /HEALTH_FEED_MAX_SUBJECTS/],
  ])('names %s when its value is bad', (variable, env, message) => {
    let caught: unknown;
    try {
      parseHealthMonitorConfig(env);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).variable).toBe(variable);
    expect((caught as ConfigError).message).toMatch(message);
  });
});
