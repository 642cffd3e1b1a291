import { createEvent } from './cloud-event';
import { decodeEntry, encodeEvent } from './event-codec';
import { STREAMS } from './streams';

const price = () =>
  createEvent({ type: 'price_update', source: '/pricing-job', subject: 'BTC', data: { symbol: 'BTC', price: 64000.5, currency: 'USD', volume24h: 12 } });

/** Entry fields with `name` set to `value` (or removed when value is undefined). */
function withField(fields: string[], name: string, value: string | undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    if (fields[i] !== name) out.push(fields[i], fields[i + 1]);
    else if (value !== undefined) out.push(name, value);
  }
  return out;
}

describe('encodeEvent / decodeEntry', () => {
  it('round-trips an event through flat stream fields', () => {
    const event = price();
    const fields = encodeEvent(event);
    expect(fields.length % 2).toBe(0);
    expect(fields[fields.indexOf('data') + 1]).toBe(JSON.stringify(event.data));
    expect(decodeEntry(fields)).toEqual({ ok: true, event });
  });

  it('omits subject when the event has none and still round-trips', () => {
    const event = createEvent({ type: 'risk_metric', source: '/risk', data: { metric: 'volatility', value: 0.4 } });
    const fields = encodeEvent(event);
    expect(fields).not.toContain('subject');
    expect(decodeEntry(fields)).toEqual({ ok: true, event });
  });

  it('ignores fields that are not envelope attributes, such as dead-letter annotations', () => {
    const event = price();
    const result = decodeEntry([...encodeEvent(event), 'dlq_reason', 'invalid']);
    expect(result).toEqual({ ok: true, event });
  });

  it('refuses data that is not JSON', () => {
    const result = decodeEntry(withField(encodeEvent(price()), 'data', '{"symbol": "BTC",'));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^data is not valid JSON/);
  });

  it('refuses an entry with missing envelope fields and names them', () => {
    const fields = withField(withField(encodeEvent(price()), 'source', undefined), 'time', undefined);
    expect(decodeEntry(fields)).toEqual({ ok: false, reason: 'missing fields source, time' });
  });

  it('refuses an odd number of items', () => {
    expect(decodeEntry(['specversion']).ok).toBe(false);
  });

  it('refuses an invalid envelope attribute', () => {
    const result = decodeEntry(withField(encodeEvent(price()), 'specversion', '0.3'));
    expect(!result.ok && result.reason).toMatch(/^event\/specversion/);
    const badTime = decodeEntry(withField(encodeEvent(price()), 'time', 'yesterday'));
    expect(!badTime.ok && badTime.reason).toMatch(/^event\/time must match format "date-time"/);
  });

  it('refuses an unknown event type', () => {
    const result = decodeEntry(withField(encodeEvent(price()), 'type', 'price_updated'));
    expect(result).toEqual({ ok: false, reason: 'unknown event type "price_updated"' });
  });

  it('refuses a payload its schema rejects', () => {
    const result = decodeEntry(withField(encodeEvent(price()), 'data', JSON.stringify({ symbol: 'BTC', price: 0, currency: 'USD' })));
    expect(result).toEqual({ ok: false, reason: 'data/price must be > 0' });
  });

  it('skips schema checks when asked not to validate, but still parses data', () => {
    const fields = withField(encodeEvent(price()), 'type', 'something_new');
    const result = decodeEntry(fields, { validate: false });
    expect(result.ok && result.event.type).toBe('something_new');
    expect(decodeEntry(withField(fields, 'data', 'nope'), { validate: false }).ok).toBe(false);
  });
});

describe('decodeEntry with the types of a stream', () => {
  const alert = () => createEvent({ type: 'alert.raised', source: '/foreign-producer', subject: 'a-1', data: { alert: { id: 'a-1', severity: 'S2' } } });

  it('accepts an event whose type the stream carries', () => {
    const event = price();
    expect(decodeEntry(encodeEvent(event), { types: STREAMS.market_data.types })).toEqual({ ok: true, event });
  });

  it('refuses a schema-valid event of a type that belongs on another stream, naming the types the stream carries', () => {
    const fields = encodeEvent(alert());
    expect(decodeEntry(fields).ok).toBe(true);
    expect(decodeEntry(fields, { types: STREAMS.market_data.types })).toEqual({
      ok: false,
      reason: 'event type "alert.raised" does not belong on this stream (it carries price_update)',
    });
    expect(decodeEntry(encodeEvent(price()), { types: STREAMS.risk_events.types })).toEqual({
      ok: false,
      reason: 'event type "price_update" does not belong on this stream (it carries risk_metric, system_status, feed_status)',
    });
  });

  it('refuses an unknown type as unknown when the types are given, with or without validation', () => {
    const result = decodeEntry(withField(encodeEvent(price()), 'type', 'price_updated'), { types: STREAMS.market_data.types });
    expect(result).toEqual({ ok: false, reason: 'unknown event type "price_updated"' });
    const unvalidated = decodeEntry(withField(encodeEvent(price()), 'type', 'price_updated'), { types: STREAMS.market_data.types, validate: false });
    expect(unvalidated).toEqual({ ok: false, reason: 'unknown event type "price_updated"' });
  });

  it('checks the types even when schema validation is off', () => {
    expect(decodeEntry(encodeEvent(alert()), { validate: false, types: ['price_update'] }).ok).toBe(false);
    const custom = withField(encodeEvent(price()), 'type', 'something_new');
    expect(decodeEntry(custom, { validate: false, types: ['something_new'] }).ok).toBe(true);
  });

  it('still refuses an event of an allowed type whose payload its schema rejects', () => {
    const fields = withField(encodeEvent(price()), 'data', JSON.stringify({ symbol: 'BTC', price: -1, currency: 'USD' }));
    expect(decodeEntry(fields, { types: STREAMS.market_data.types })).toEqual({ ok: false, reason: 'data/price must be > 0' });
  });

  it('refuses every entry when the stream carries no type', () => {
    expect(decodeEntry(encodeEvent(price()), { types: [] })).toEqual({
      ok: false,
      reason: 'event type "price_update" does not belong on this stream (it carries no type)',
    });
  });
});
