import { streamKey, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { StreamingGateway } from '../gateway';
import { GatewayCloseCode } from '@rebal/gateway-client';
import { priceEvent, publishEvents, startTestGateway, streamEntries, testRedis, testToken, uniquePrefix } from '../test/gateway-test-kit';
import { TestClient, type Frame } from '../test/test-client';

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One bad frame and the error code it must be answered with. */
interface BadFrame {
  readonly data: string | Buffer;
  readonly binary: boolean;
  readonly code: string;
}

const letters = (next: () => number, length: number) => Array.from({ length }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');

/** The kinds of bad frames; `authenticated` says whether the connection has a token (granting only market_data:BTC). */
function badFrame(next: () => number, authenticated: boolean): BadFrame {
  const text = (value: unknown, code: string): BadFrame => ({ data: typeof value === 'string' ? value : JSON.stringify(value), binary: false, code });
  const kinds: Array<() => BadFrame> = [
    () => text(`{${letters(next, 1 + Math.floor(next() * 40))}`, 'invalid_json'),
    () => text(`{"op":"subscribe","channels":[${letters(next, 5)}`, 'invalid_json'),
    () => text({ op: letters(next, 6), id: Math.floor(next() * 1000) }, 'unknown_op'),
    () => text([1, 2, letters(next, 3)], 'invalid_frame'),
    () => text(Math.floor(next() * 1e6), 'invalid_frame'),
    () => text('null', 'invalid_frame'),
    () => text({ id: letters(next, 4) }, 'invalid_frame'),
    () => text({ op: 'ping', id: -1 - Math.floor(next() * 100) }, 'invalid_frame'),
    () => text({ op: 42 }, 'invalid_frame'),
    () => text({ op: 'auth', id: 'a' }, 'invalid_frame'),
    () => text({ op: 'subscribe', channels: [] }, 'invalid_frame'),
    () => text({ op: 'subscribe', channels: Array.from({ length: 101 }, (_, i) => `alerts:a-${i}`) }, 'invalid_frame'),
    () => text({ op: 'subscribe', channels: ['alerts'], since: { alerts: letters(next, 8) } }, 'invalid_frame'),
    () => text({ op: 'subscribe', channels: ['alerts'], since: { risk_events: '1-0' } }, 'invalid_frame'),
    () => text({ op: 'subscribe', channels: [letters(next, 8)] }, 'unknown_channel'),
    () => text({ op: 'subscribe', channels: [`${letters(next, 5)}:${letters(next, 3)}`] }, 'unknown_channel'),
    () => text({ op: 'subscribe', channels: ['market_data:'] }, 'invalid_channel'),
    () => text({ op: 'subscribe', channels: ['market_data:BT*'] }, 'invalid_channel'),
    () => text({ op: 'unsubscribe', channels: [{ nested: { deep: [letters(next, 3)] } }] }, 'invalid_channel'),
    () => ({ data: Buffer.from(letters(next, 20)), binary: true, code: 'binary_not_supported' }),
    () => ({ data: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), binary: false, code: 'invalid_json' }),
    () => text(authenticated ? { op: 'subscribe', channels: ['alerts'] } : { op: 'subscribe', channels: ['market_data:BTC'] }, authenticated ? 'not_granted' : 'not_authenticated'),
    () => (authenticated ? text({ op: 'auth', token: letters(next, 30) }, 'auth_failed') : text({ op: 'unsubscribe', channels: ['alerts'] }, 'not_authenticated')),
  ];
  // About one frame in a hundred is above the 64 KiB limit (and below the 1 MiB hard cap).
  if (next() < 0.01) return text(JSON.stringify({ op: 'ping', pad: 'x'.repeat(70_000 + Math.floor(next() * 100_000)) }), 'frame_too_large');
  return kinds[Math.floor(next() * kinds.length)]();
}

describe('malformed and abusive frames', () => {
  const prefix = uniquePrefix();
  let fuzzed: StreamingGateway;
  let strict: StreamingGateway;
  let redis: RedisConnection;
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await Promise.all([fuzzed?.close(), strict?.close()]);
    await redis?.quit();
  });
  const redisServer = useRedis();

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
    // The rate limit is lifted here so 10,000 frames take seconds; the next test checks it.
    ({ gateway: fuzzed } = await startTestGateway(redisServer.server, {
      prefix,
      limits: { rateLimitPerSecond: 1_000_000, rateLimitBurst: 1_000_000, authTimeoutMs: 120_000 },
    }));
    ({ gateway: strict } = await startTestGateway(redisServer.server, { prefix }));
  });

  async function connect(gateway: StreamingGateway): Promise<TestClient> {
    const client = await TestClient.connect(gateway.port);
    clients.push(client);
    return client;
  }

  it('answers 10,000 random bad frames with error frames and keeps serving a healthy client', async () => {
    const healthy = await connect(fuzzed);
    await healthy.auth(await testToken(['market_data']));
    await healthy.subscribe(['market_data:BTC']);
    const attackers = await Promise.all([0, 1, 2, 3].map(() => connect(fuzzed)));
    const token = await testToken(['market_data:BTC']);
    await attackers[0].auth(token);
    await attackers[1].auth(token);

    const next = random(7);
    const published: string[] = [];
    let sent = 0;
    for (let round = 0; sent < 10_000; round++) {
      await Promise.all(
        attackers.map(async (attacker, index) => {
          const errorsBefore = attacker.control.filter((frame) => frame.type === 'error').length;
          const frames = Array.from({ length: 250 }, () => badFrame(next, index < 2));
          for (const frame of frames) attacker.ws.send(frame.data, { binary: frame.binary });
          await waitFor(() => attacker.control.filter((frame) => frame.type === 'error').length >= errorsBefore + frames.length, {
            message: () => `attacker ${index} got ${attacker.control.length} frames`,
          });
          const codes = attacker.control
            .filter((frame: Frame) => frame.type === 'error')
            .slice(errorsBefore)
            .map((frame) => String(frame['code']));
          expect(codes.sort()).toEqual(frames.map((frame) => frame.code).sort());
        }),
      );
      sent += attackers.length * 250;
      published.push(...(await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', round)])));
    }
    expect(sent).toBe(10_000);
    for (const attacker of attackers) {
      attacker.send({ op: 'ping', id: 'still-there' });
      expect(await attacker.reply('still-there')).toMatchObject({ type: 'pong' });
    }

    // Above the hard cap (1 MiB) the connection is closed with 1009, and only that one.
    const oversized = await connect(fuzzed);
    oversized.ws.send('x'.repeat(1024 * 1024 + 1));
    expect((await oversized.closed).code).toBe(GatewayCloseCode.MessageTooBig);

    await waitFor(() => healthy.idsOf('market_data:BTC').length === published.length);
    const fresh = await connect(fuzzed);
    await fresh.auth(await testToken(['market_data']));
    await fresh.subscribe(['market_data:BTC']);
    const [last] = await publishEvents(redis, prefix, 'market_data', [priceEvent('BTC', 1)]);
    await waitFor(() => fresh.idsOf('market_data:BTC').length === 1 && healthy.idsOf('market_data:BTC').length === published.length + 1);
    const all = (await streamEntries(redis, streamKey('market_data', prefix))).map((entry) => entry.id);
    expect(healthy.idsOf('market_data:BTC')).toEqual(all);
    expect(fresh.idsOf('market_data:BTC')).toEqual([last]);
    expect(fuzzed.readiness().ready).toBe(true);
  }, 60_000);

  it('rate-limits a flooding client with retryAfterMs, then closes it with 4008', async () => {
    const client = await connect(strict);
    for (let i = 0; i < 100; i++) client.send({ op: 'ping', id: i });
    expect((await client.closed).code).toBe(GatewayCloseCode.RateLimited);
    const pongs = client.control.filter((frame) => frame.type === 'pong');
    const limited = client.control.filter((frame) => frame.type === 'error' && frame['code'] === 'rate_limited');
    expect(pongs.length).toBeGreaterThanOrEqual(40);
    expect(pongs.length).toBeLessThan(50);
    expect(limited.length).toBeGreaterThanOrEqual(20);
    expect(limited.every((frame) => Number(frame['retryAfterMs']) > 0)).toBe(true);
  });

  it('issue 11 item 7: a rate_limited error carries the request id of the frame it refused', async () => {
    const client = await connect(strict);
    const ids = Array.from({ length: 45 }, (_, i) => `p-${i}`);
    for (const id of ids) client.send({ op: 'ping', id });
    // An id that is not valid cannot be echoed: that refusal has none.
    client.send({ op: 'ping', id: -1 });
    await waitFor(() => client.control.length >= ids.length + 1, { message: () => `${client.control.length} replies` });
    const limited = client.control.filter((frame) => frame.type === 'error' && frame['code'] === 'rate_limited');
    const withId = limited.filter((frame) => frame['id'] !== undefined).map((frame) => String(frame['id']));
    expect(withId.length).toBeGreaterThanOrEqual(4);
    // Only the frame with the invalid id is answered without one (rate_limited, or invalid_frame if a token had refilled).
    expect(client.control.filter((frame) => frame.type === 'error' && frame['id'] === undefined)).toHaveLength(1);
    const answered = client.control.filter((frame) => frame.type === 'pong').map((frame) => String(frame['id']));
    expect([...answered, ...withId].sort()).toEqual([...ids].sort());
  });
});
