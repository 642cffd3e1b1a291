import { parseServerFrame } from './parse-server-frame';
import { compareStreamIds, isStreamId } from './stream-id';

describe('parseServerFrame', () => {
  it('accepts the frames of the protocol document', () => {
    const event = '{"type":"event","channel":"market_data:BTC","stream":"market_data","id":"1712345678902-0","event":{"specversion":"1.0","id":"x","source":"/p","type":"price_update","time":"2024-04-05T19:34:38.902Z","data":{}}}';
    expect(parseServerFrame(event)).toMatchObject({ kind: 'frame', frame: { type: 'event', id: '1712345678902-0' } });
    expect(parseServerFrame('{"type":"pong","id":99,"time":1}')).toMatchObject({ kind: 'frame' });
    expect(parseServerFrame('{"type":"error","code":"rate_limited","message":"m","retryAfterMs":50}')).toMatchObject({ kind: 'frame' });
  });

  it('reports unknown frame types apart from malformed frames', () => {
    expect(parseServerFrame('{"type":"future_frame"}')).toEqual({ kind: 'unknown', type: 'future_frame' });
    expect(parseServerFrame('nope')).toEqual({ kind: 'invalid', reason: 'not JSON' });
    expect(parseServerFrame('[1]')).toEqual({ kind: 'invalid', reason: 'not a JSON object' });
    expect(parseServerFrame('{"type":"welcome","session":{}}')).toEqual({ kind: 'invalid', reason: 'welcome: session.id missing or invalid' });
    expect(parseServerFrame('{"type":"toString"}')).toEqual({ kind: 'unknown', type: 'toString' });
  });
});

describe('stream ids', () => {
  it('orders ids numerically, including 64-bit parts', () => {
    expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareStreamIds('18446744073709551615-1', '18446744073709551615-0')).toBeGreaterThan(0);
    expect(compareStreamIds('5-5', '5-5')).toBe(0);
  });

  it('accepts only canonical ids', () => {
    expect(isStreamId('1712345678901-0')).toBe(true);
    expect(['01-0', '1-01', '1', '-1-0', '1-0 ', 1].some(isStreamId)).toBe(false);
  });
});
