import fc from 'fast-check';
import type { WireFrame } from './ws-frame-oracle';

const MAX_U64 = 18_446_744_073_709_551_615n;
const STREAMS = ['market_data', 'portfolio_updates', 'risk_events', 'alerts'];

/** The one channel the fuzzing connection's token grants. */
export const FUZZ_GRANT = 'portfolio_updates:p-fuzz';

const text = (value: unknown): WireFrame => ({ data: JSON.stringify(value), binary: false });

/** Request ids: valid ones, and every documented way to be invalid (empty, too long, negative, fractional, unsafe, wrong type). */
const requestId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 64 }),
  fc.nat(),
  fc.constantFrom(0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, -1, -0.5, 1.5, 1e300, ''),
  fc.string({ minLength: 65, maxLength: 90 }),
  fc.integer({ max: -1 }),
  fc.double({ noNaN: true }),
  fc.oneof(fc.boolean(), fc.constant(null), fc.array(fc.nat(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.nat(), { maxKeys: 2 })),
);

/** Stream ids: valid (including the u64 bounds) and malformed (leading zeros, past u64, wrong shape or type). */
const streamId = fc.oneof(
  fc.tuple(fc.bigInt({ min: 0n, max: MAX_U64 }), fc.bigInt({ min: 0n, max: MAX_U64 })).map(([ms, seq]) => `${ms}-${seq}`),
  fc.constantFrom('0-0', `${MAX_U64}-${MAX_U64}`, `${MAX_U64 + 1n}-0`, '01-0', '1-01', '1-', '-1', '1', '1-2-3', ' 1-0', '1.5-0', '$', '+', '>'),
  fc.string({ maxLength: 24 }),
  fc.oneof(fc.nat(), fc.constant(null), fc.boolean()),
);

/** Channel names: valid, granted, malformed (empty or long subject, whitespace, control characters, `*`), unknown streams, non-strings. */
const channel = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(FUZZ_GRANT, ...STREAMS, 'market_data:BTC', 'alerts:a-1', 'risk_events:sentinel') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('', ':', 'market_data:', 'market_data:BT*', 'alerts: x', 'alerts:x\ty', 'alerts:\u0000', 'alerts:\u2028', 'MARKET_DATA', 'nope', 'nope:x', '*', 'market_data:*'),
  },
  { weight: 1, arbitrary: fc.constantFrom(`market_data:${'x'.repeat(256)}`, `market_data:${'x'.repeat(257)}`, 'y'.repeat(301)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...STREAMS, 'x', ''), fc.string({ unit: 'grapheme', maxLength: 12 })).map(([stream, subject]) => `${stream}:${subject}`) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

/** Unknown fields the server must ignore (they never replace `op`, `id` or the op's own fields). */
const extras = fc.dictionary(
  fc.string({ maxLength: 8 }).filter((key) => !['op', 'id', 'token', 'session', 'channels', 'since', '__proto__'].includes(key)),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 },
);

/** Builds `{...extras, op, id?, ...fields}`. */
function opFrame(ops: fc.Arbitrary<unknown> | string, fields: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<WireFrame> {
  const op = typeof ops === 'string' ? fc.constant(ops) : ops;
  return fc.tuple(extras, op, fc.option(requestId, { nil: undefined }), fields).map(([extra, name, id, own]) => text({ ...extra, op: name, ...(id === undefined ? {} : { id }), ...own }));
}

const wrongType = fc.oneof(fc.nat(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.nat(), { maxKeys: 2 }));

/** Well-known operations with fields right, missing, or of the wrong type. */
const knownOps = fc.oneof(
  opFrame('ping', fc.constant({})),
  opFrame(
    'auth',
    fc.record(
      {
        token: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', 'x'.repeat(16_384), 'x'.repeat(16_385)), wrongType),
        session: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/), fc.string({ maxLength: 12 }), fc.constant('x'.repeat(129)), wrongType),
      },
      { requiredKeys: [] },
    ),
  ),
  opFrame(
    'subscribe',
    fc.record(
      {
        channels: fc.oneof({ weight: 4, arbitrary: fc.array(channel, { minLength: 1, maxLength: 4 }) }, fc.constant([]), fc.constant(Array.from({ length: 101 }, (_, i) => `alerts:a-${i}`)), wrongType),
        since: fc.oneof(fc.dictionary(fc.oneof(fc.constant(FUZZ_GRANT), channel.filter((c): c is string => typeof c === 'string')), streamId, { maxKeys: 2 }), wrongType),
      },
      { requiredKeys: [] },
    ),
  ),
  opFrame(
    'unsubscribe',
    fc.record({ channels: fc.oneof({ weight: 4, arbitrary: fc.array(channel, { minLength: 1, maxLength: 4 }) }, fc.constant([]), wrongType) }, { requiredKeys: [] }),
  ),
);

/** Well-formed subscribes: granted or not, with or without valid positions (answered `subscribed` or `not_granted`). */
const wellFormedSubscribe = fc
  .tuple(fc.subarray([FUZZ_GRANT, FUZZ_GRANT, 'market_data:BTC', 'alerts'], { minLength: 1 }), fc.option(requestId.filter((id) => typeof id === 'string' || typeof id === 'number'), { nil: undefined }), fc.boolean(), fc.bigInt({ min: 0n, max: MAX_U64 }))
  .map(([channels, id, withSince, ms]) =>
    text({ op: 'subscribe', ...(id === undefined ? {} : { id }), channels, ...(withSince ? { since: { [channels[0] as string]: `${ms}-0` } } : {}) }),
  );

/** A JSON text with a number literal no double represents exactly (huge or negative ids). */
const hugeNumberId = fc
  .tuple(fc.constantFrom('', '-'), fc.bigInt({ min: 9_007_199_254_740_992n, max: 10n ** 40n }))
  .map(([sign, value]): WireFrame => ({ data: `{"op":"ping","id":${sign}${value}}`, binary: false }));

/** Deeply nested arrays or objects, at the top or inside a known op. */
const deeplyNested = fc.tuple(fc.integer({ min: 1, max: 5_000 }), fc.constantFrom('top', 'channels', 'extra', 'object')).map(([depth, where]): WireFrame => {
  const arrays = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const objects = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const data = {
    top: arrays,
    channels: `{"op":"subscribe","id":"deep","channels":[${arrays}]}`,
    extra: `{"op":"ping","id":"deep","nested":${objects}}`,
    object: objects,
  }[where] as string;
  return { data, binary: false };
});

/** Text that is not UTF-8 (sent as a text frame), and binary frames. */
const badBytes = fc.oneof(
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => Uint8Array.from([0xff, ...bytes]))).map(([bytes]): WireFrame => ({
    data: Buffer.concat([Buffer.from('{"op":"ping","id":"'), bytes, Buffer.from('"}')]),
    binary: false,
  })),
  fc.uint8Array({ maxLength: 64 }).map((bytes): WireFrame => ({ data: bytes, binary: false })),
  fc.uint8Array({ maxLength: 64 }).map((bytes): WireFrame => ({ data: bytes, binary: true })),
  fc.constant<WireFrame>({ data: Buffer.from('{"op":"ping","id":1}'), binary: true }),
  // An over-long encoding of "/" and a lone surrogate: both invalid UTF-8.
  fc.constantFrom<WireFrame>({ data: Buffer.from([0x22, 0xc0, 0xaf, 0x22]), binary: false }, { data: Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22]), binary: false }),
);

/** Frames just under, at and over the inbound limit (below the 1 MiB hard cap). */
function sized(maxFrameBytes: number): fc.Arbitrary<WireFrame> {
  const overhead = '{"op":"ping","id":"size","pad":""}'.length;
  return fc.integer({ min: maxFrameBytes - 2, max: maxFrameBytes + 2_000 }).map((bytes) => ({ data: `{"op":"ping","id":"size","pad":"${'p'.repeat(Math.max(0, bytes - overhead))}"}`, binary: false }));
}

/**
 * Any frame a hostile client could send: random text, JSON of every shape, unknown ops, known
 * ops with wrong fields, huge and negative ids, deep nesting, bytes that are not UTF-8, binary
 * frames, and frames around the size limit.
 */
export function hostileFrame(maxFrameBytes: number): fc.Arbitrary<WireFrame> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map((data): WireFrame => ({ data, binary: false })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(text) },
    { weight: 2, arbitrary: opFrame(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('AUTH', 'Ping', 'subscribe ', 'publish', 'close', '__proto__', 'constructor')), fc.constant({})) },
    { weight: 1, arbitrary: opFrame(wrongType, fc.constant({})) },
    { weight: 8, arbitrary: knownOps },
    { weight: 2, arbitrary: wellFormedSubscribe },
    { weight: 1, arbitrary: hugeNumberId },
    { weight: 1, arbitrary: deeplyNested },
    { weight: 2, arbitrary: badBytes },
    { weight: 1, arbitrary: sized(maxFrameBytes) },
  );
}
