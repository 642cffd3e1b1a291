import { parseClientFrame, readRequestId, type ParseClientFrameResult } from './parse-client-frame';
import type { FrameError } from './frame-error';

function parse(value: unknown): ParseClientFrameResult {
  return parseClientFrame(JSON.stringify(value), false);
}

function errorOf(result: ParseClientFrameResult): FrameError {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.frame)}`);
  return result.error;
}

describe('parseClientFrame', () => {
  describe('transport checks', () => {
    it('refuses a binary frame with binary_not_supported', () => {
      const error = errorOf(parseClientFrame(Buffer.from('{"op":"ping"}'), true));
      expect(error).toEqual({ code: 'binary_not_supported', message: expect.any(String) });
    });

    it('refuses a frame above the size limit with frame_too_large before parsing it', () => {
      const big = JSON.stringify({ op: 'ping', id: 'a', pad: 'x'.repeat(70_000) });
      const error = errorOf(parseClientFrame(big, false));
      expect(error.code).toBe('frame_too_large');
      expect(error.id).toBeUndefined();
    });

    it('counts the limit in bytes, not characters', () => {
      const text = JSON.stringify({ op: 'ping', pad: 'é'.repeat(30) }); // 2 bytes per é
      expect(parseClientFrame(text, false, { maxFrameBytes: text.length + 10 })).toMatchObject({
        ok: false,
        error: { code: 'frame_too_large' },
      });
      expect(parseClientFrame(text, false, { maxFrameBytes: Buffer.byteLength(text) }).ok).toBe(true);
    });

    it('accepts a frame as a Buffer, an ArrayBuffer or fragments', () => {
      const text = '{"op":"ping","id":7}';
      const buffer = Buffer.from(text);
      const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length);
      for (const raw of [buffer, arrayBuffer, [Buffer.from(text.slice(0, 5)), Buffer.from(text.slice(5))]]) {
        expect(parseClientFrame(raw, false)).toEqual({ ok: true, frame: { op: 'ping', id: 7 } });
      }
    });

    it('refuses text that is not JSON with invalid_json', () => {
      expect(errorOf(parseClientFrame('{"op":"ping"', false))).toEqual({ code: 'invalid_json', message: expect.any(String) });
      expect(errorOf(parseClientFrame('', false)).code).toBe('invalid_json');
    });

    it('refuses bytes that are not UTF-8 with invalid_json', () => {
      const raw = Buffer.concat([Buffer.from('{"op":"ping","id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
      expect(errorOf(parseClientFrame(raw, false)).code).toBe('invalid_json');
    });

    it.each([
      ['an array', '[]'],
      ['null', 'null'],
      ['a string', '"ping"'],
      ['a number', '42'],
    ])('refuses JSON that is %s with invalid_frame', (_what, text) => {
      expect(errorOf(parseClientFrame(text, false)).code).toBe('invalid_frame');
    });
  });

  describe('request ids and ops', () => {
    it('refuses a frame without op with invalid_frame and echoes its id', () => {
      expect(errorOf(parse({ id: 'r1', token: 't' }))).toEqual({ code: 'invalid_frame', message: expect.stringContaining('op'), id: 'r1' });
    });

    it('refuses an op that is not a string with invalid_frame', () => {
      expect(errorOf(parse({ op: 3 })).code).toBe('invalid_frame');
    });

    it('refuses an unknown op with unknown_op and echoes the id', () => {
      expect(errorOf(parse({ op: 'publish', id: 9 }))).toEqual({ code: 'unknown_op', message: 'unknown op "publish"', id: 9 });
    });

    it.each([
      ['an empty string', ''],
      ['a string longer than 64 characters', 'x'.repeat(65)],
      ['a negative number', -1],
      ['a fraction', 1.5],
      ['an object', { a: 1 }],
      ['null', null],
    ])('refuses an id that is %s with invalid_frame and no id', (_what, id) => {
      const error = errorOf(parse({ op: 'ping', id }));
      expect(error.code).toBe('invalid_frame');
      expect(error).not.toHaveProperty('id');
    });

    it('accepts string and integer ids', () => {
      expect(parse({ op: 'ping', id: 'abc' })).toEqual({ ok: true, frame: { op: 'ping', id: 'abc' } });
      expect(parse({ op: 'ping', id: 0 })).toEqual({ ok: true, frame: { op: 'ping', id: 0 } });
    });

    it('ignores unknown fields', () => {
      expect(parse({ op: 'ping', extra: true })).toEqual({ ok: true, frame: { op: 'ping' } });
    });
  });

  describe('auth', () => {
    it('parses a token with an id and a session', () => {
      expect(parse({ op: 'auth', id: 'a1', token: 'eyJ.x.y', session: 'sess_12345678' })).toEqual({
        ok: true,
        frame: { op: 'auth', id: 'a1', token: 'eyJ.x.y', session: 'sess_12345678' },
      });
    });

    it('parses a token alone', () => {
      expect(parse({ op: 'auth', token: 'eyJ.x.y' })).toEqual({ ok: true, frame: { op: 'auth', token: 'eyJ.x.y' } });
    });

    it.each([
      ['a missing token', { op: 'auth', id: 1 }],
      ['an empty token', { op: 'auth', id: 1, token: '' }],
      ['a token that is not a string', { op: 'auth', id: 1, token: 12 }],
      ['a token longer than 16 KiB', { op: 'auth', id: 1, token: 'x'.repeat(16 * 1024 + 1) }],
      ['a malformed session id', { op: 'auth', id: 1, token: 't', session: 'no spaces allowed' }],
      ['a too short session id', { op: 'auth', id: 1, token: 't', session: 'abc' }],
    ])('refuses %s with invalid_frame naming the field', (_what, frame) => {
      const error = errorOf(parse(frame));
      expect(error.code).toBe('invalid_frame');
      expect(error.id).toBe(1);
      expect(error.message).toMatch(/^(token|session): /);
    });

    it('keeps an auth refused only for its session as a refresh without it (a refresh ignores the field)', () => {
      expect(parse({ op: 'auth', id: 1, token: 't', session: 'abc' })).toMatchObject({ ok: false, refresh: { op: 'auth', id: 1, token: 't' } });
      expect(parse({ op: 'auth', id: 1, token: '', session: 'abc' })).not.toHaveProperty('refresh');
    });

    it('never puts the token in an error message', () => {
      const token = 'secret-token-value';
      const error = errorOf(parse({ op: 'auth', token, session: '!!' }));
      expect(error.message).not.toContain(token);
    });
  });

  describe('subscribe', () => {
    it('parses channels and attaches each since to its channel', () => {
      const result = parse({
        op: 'subscribe',
        id: 's1',
        channels: ['market_data:BTC', 'alerts'],
        since: { 'market_data:BTC': '1712345678901-3' },
      });
      expect(result).toEqual({
        ok: true,
        frame: {
          op: 'subscribe',
          id: 's1',
          channels: [
            { channel: { name: 'market_data:BTC', stream: 'market_data', subject: 'BTC' }, since: '1712345678901-3' },
            { channel: { name: 'alerts', stream: 'alerts' } },
          ],
        },
      });
    });

    it('drops repeated channels, keeping the first', () => {
      const result = parse({ op: 'subscribe', channels: ['alerts', 'risk_events', 'alerts'] });
      expect(result.ok && result.frame.op === 'subscribe' && result.frame.channels.map((c) => c.channel.name)).toEqual([
        'alerts',
        'risk_events',
      ]);
    });

    it.each([
      ['no channels field', { op: 'subscribe', id: 2 }, 'channels'],
      ['channels that is not an array', { op: 'subscribe', id: 2, channels: 'alerts' }, 'channels'],
      ['an empty channel list', { op: 'subscribe', id: 2, channels: [] }, 'channels'],
      ['more than 100 channels', { op: 'subscribe', id: 2, channels: Array.from({ length: 101 }, (_, i) => `market_data:S${i}`) }, 'channels'],
      ['since that is not an object', { op: 'subscribe', id: 2, channels: ['alerts'], since: '1-0' }, 'since'],
      ['a since that is not a stream id', { op: 'subscribe', id: 2, channels: ['alerts'], since: { alerts: 'latest' } }, 'since.alerts'],
      ['a since with leading zeros', { op: 'subscribe', id: 2, channels: ['alerts'], since: { alerts: '01-0' } }, 'since.alerts'],
      ['a since for a channel not listed', { op: 'subscribe', id: 2, channels: ['alerts'], since: { risk_events: '1-0' } }, 'since'],
    ])('refuses %s with invalid_frame naming the field', (_what, frame, field) => {
      const error = errorOf(parse(frame));
      expect(error).toMatchObject({ code: 'invalid_frame', id: 2 });
      expect(error.message.startsWith(`${field}: `)).toBe(true);
    });

    it('refuses an unknown stream with unknown_channel naming the channel', () => {
      expect(errorOf(parse({ op: 'subscribe', id: 3, channels: ['alerts', 'weather:paris'] }))).toEqual({
        code: 'unknown_channel',
        message: expect.stringContaining('weather:paris'),
        id: 3,
        channel: 'weather:paris',
      });
    });

    it('refuses a malformed channel with invalid_channel naming the channel', () => {
      expect(errorOf(parse({ op: 'subscribe', id: 4, channels: ['market_data:*'] }))).toMatchObject({
        code: 'invalid_channel',
        id: 4,
        channel: 'market_data:*',
      });
    });

    it('refuses a channel that is not a string with invalid_channel and no channel field', () => {
      const error = errorOf(parse({ op: 'subscribe', id: 5, channels: [{ name: 'alerts' }] }));
      expect(error).toMatchObject({ code: 'invalid_channel', id: 5 });
      expect(error).not.toHaveProperty('channel');
    });
  });

  describe('unsubscribe', () => {
    it('parses the channels, without repeats', () => {
      expect(parse({ op: 'unsubscribe', id: 'u', channels: ['alerts', 'alerts', 'risk_events:svc'] })).toEqual({
        ok: true,
        frame: {
          op: 'unsubscribe',
          id: 'u',
          channels: [
            { name: 'alerts', stream: 'alerts' },
            { name: 'risk_events:svc', stream: 'risk_events', subject: 'svc' },
          ],
        },
      });
    });

    it('refuses a missing channel list with invalid_frame', () => {
      expect(errorOf(parse({ op: 'unsubscribe', id: 'u' }))).toMatchObject({ code: 'invalid_frame', id: 'u' });
    });

    it('refuses an unknown stream with unknown_channel', () => {
      expect(errorOf(parse({ op: 'unsubscribe', channels: ['nope'] }))).toMatchObject({ code: 'unknown_channel', channel: 'nope' });
    });
  });

  describe('ping', () => {
    it('parses a ping without an id', () => {
      expect(parseClientFrame('{"op":"ping"}', false)).toEqual({ ok: true, frame: { op: 'ping' } });
    });
  });
});

describe('readRequestId', () => {
  it('reads the valid id of any JSON object frame, whatever else it holds', () => {
    expect(readRequestId(JSON.stringify({ op: 'subscribe', id: 's1', channels: 'not a list' }), false)).toBe('s1');
    expect(readRequestId(JSON.stringify({ op: 'nope', id: 7 }), false)).toBe(7);
    expect(readRequestId(JSON.stringify({ op: 'ping' }), false)).toBeUndefined();
  });

  it('reads no id where the parser would answer without one', () => {
    expect(readRequestId(Buffer.from('{"op":"ping","id":1}'), true)).toBeUndefined();
    expect(readRequestId(JSON.stringify({ op: 'ping', id: 1, pad: 'x'.repeat(70_000) }), false)).toBeUndefined();
    expect(readRequestId('{"op":"ping","id":1', false)).toBeUndefined();
    expect(readRequestId(JSON.stringify({ op: 'ping', id: -1 }), false)).toBeUndefined();
  });
});
