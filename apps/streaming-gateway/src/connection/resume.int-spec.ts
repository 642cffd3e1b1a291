import { streamKey, type RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { StreamingGateway } from '../gateway';
import { decodeSessionRecord, sessionKey } from '../sessions';
import {
  alertEvent,
  channelIds,
  portfolioEvent,
  priceEvent,
  publishEvents,
  startTestGateway,
  streamEntries,
  testRedis,
  testToken,
  uniquePrefix,
} from '../test/gateway-test-kit';
import { StallableProxy } from '../test/stallable-proxy';
import { TestClient } from '../test/test-client';

describe('resuming on another replica', () => {
  const prefix = uniquePrefix();
  let one: StreamingGateway;
  let two: StreamingGateway;
  let redis: RedisConnection;
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await Promise.all([one?.close(), two?.close()]);
    await redis?.quit();
  });
  const redisServer = useRedis();

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
    // The cap leaves room for the events published while the first test resumes; heartbeats
    // (which confirm session positions) come often enough for a test.
    const limits = { replayCap: 2_000, heartbeatIntervalMs: 200 };
    ({ gateway: one } = await startTestGateway(redisServer.server, { prefix, instanceId: 'resume-one', limits }));
    ({ gateway: two } = await startTestGateway(redisServer.server, { prefix, instanceId: 'resume-two', limits }));
  });

  async function connect(gateway: StreamingGateway, grants: string[], session?: string): Promise<{ client: TestClient; welcome: Record<string, unknown> }> {
    const client = await TestClient.connect(gateway.port, { recordEvents: false });
    clients.push(client);
    const welcome = await client.auth(await testToken(grants), session);
    expect(welcome['type']).toBe('welcome');
    return { client, welcome };
  }

  const publish = (stream: string, events: Parameters<typeof publishEvents>[3]) => publishEvents(redis, prefix, stream, events);
  const entries = (stream: string) => streamEntries(redis, streamKey(stream, prefix));

  it('replays exactly the 1,000 missed events, then live events, with no gap or duplicate while events keep flowing', async () => {
    const { client: first } = await connect(one, ['market_data']);
    await first.subscribe(['market_data:BTC']);
    const seen = await publish('market_data', Array.from({ length: 10 }, (_, i) => priceEvent('BTC', i)));
    await waitFor(() => first.idsOf('market_data:BTC').length === 10);
    const last = first.lastId('market_data:BTC') ?? 'none';
    expect(last).toBe(seen[9]);
    first.terminate();

    // 1,000 BTC events missed, interleaved with 500 ETH events the channel must not replay.
    const missed = Array.from({ length: 1_500 }, (_, i) => (i % 3 === 2 ? priceEvent('ETH', i) : priceEvent('BTC', i)));
    const missedIds = (await publish('market_data', missed)).filter((_, i) => i % 3 !== 2);
    expect(missedIds).toHaveLength(1_000);

    const { client: second } = await connect(two, ['market_data']);
    // Live events flow while the replay is read and sent: the switch must not lose or repeat one.
    const flowing = (async () => {
      for (let round = 0; round < 20; round++) await publish('market_data', Array.from({ length: 10 }, (_, i) => priceEvent('BTC', round * 10 + i)));
    })();
    const subscribed = await second.subscribe(['market_data:BTC'], { 'market_data:BTC': last });
    await flowing;
    const [outcome] = subscribed['channels'] as Array<Record<string, unknown>>;
    expect(outcome).toMatchObject({ channel: 'market_data:BTC', recovered: true, since: last });
    expect(outcome['replayed']).toBeGreaterThanOrEqual(1_000);

    const expected = channelIds(await entries('market_data'), 'market_data:BTC').filter((id) => seen.indexOf(id) === -1);
    expect(expected).toHaveLength(1_200);
    await waitFor(() => second.idsOf('market_data:BTC').length >= expected.length, { timeoutMs: 15_000 });
    expect(second.idsOf('market_data:BTC').slice(0, 1_000)).toEqual(missedIds);
    expect(second.idsOf('market_data:BTC')).toEqual(expected);
  });

  it('reports recovered: false (trimmed) when the position was trimmed away, and continues live', async () => {
    const { client: first } = await connect(one, ['alerts']);
    await first.subscribe(['alerts']);
    await publish('alerts', [alertEvent('a-1'), alertEvent('a-2')]);
    await waitFor(() => first.idsOf('alerts').length === 2);
    const last = first.lastId('alerts') ?? 'none';
    first.terminate();
    await publish('alerts', Array.from({ length: 50 }, (_, i) => alertEvent(`b-${i}`)));
    await redis.xtrim(streamKey('alerts', prefix), 'MAXLEN', 10);

    const { client: second } = await connect(two, ['alerts']);
    const subscribed = await second.subscribe(['alerts'], { alerts: last });
    expect(subscribed['channels']).toEqual([{ channel: 'alerts', recovered: false, replayed: 0, since: last, reason: 'trimmed' }]);
    const [live] = await publish('alerts', [alertEvent('c-1')]);
    await waitFor(() => second.idsOf('alerts').length === 1);
    expect(second.idsOf('alerts')).toEqual([live]);
  });

  it('reports recovered: false (replay_cap) when more events were missed than the replay cap', async () => {
    const { client: first } = await connect(one, ['portfolio_updates:p-1']);
    await first.subscribe(['portfolio_updates:p-1']);
    await publish('portfolio_updates', [portfolioEvent('p-1')]);
    await waitFor(() => first.idsOf('portfolio_updates:p-1').length === 1);
    const last = first.lastId('portfolio_updates:p-1') ?? 'none';
    first.terminate();
    await publish('portfolio_updates', Array.from({ length: 2_001 }, () => portfolioEvent('p-1')));

    const { client: second } = await connect(two, ['portfolio_updates:p-1']);
    const subscribed = await second.subscribe(['portfolio_updates:p-1'], { 'portfolio_updates:p-1': last });
    expect(subscribed['channels']).toEqual([{ channel: 'portfolio_updates:p-1', recovered: false, replayed: 0, since: last, reason: 'replay_cap' }]);
    const [live] = await publish('portfolio_updates', [portfolioEvent('p-1')]);
    await waitFor(() => second.idsOf('portfolio_updates:p-1').length === 1);
    expect(second.idsOf('portfolio_updates:p-1')).toEqual([live]);
  });

  it('restores a session on the other replica: its channels, then every event after its recorded positions', async () => {
    const grants = ['market_data:*', 'alerts'];
    const channels = ['market_data:SOL', 'alerts'];
    const { client: first, welcome } = await connect(one, grants);
    const sessionId = (welcome['session'] as { id: string }).id;
    await first.subscribe(channels);
    await publish('market_data', Array.from({ length: 20 }, (_, i) => priceEvent('SOL', i)));
    await publish('alerts', Array.from({ length: 5 }, (_, i) => alertEvent(`s-${i}`)));
    await waitFor(() => first.idsOf('market_data:SOL').length === 20 && first.idsOf('alerts').length === 5);
    // A clean close records the session, with a position for both channels, before it completes.
    await first.close();
    const record = decodeSessionRecord(await redis.hget(sessionKey(sessionId, prefix), 'data'));
    expect(record !== undefined && channels.every((channel) => record.positions[channel] !== undefined)).toBe(true);
    await publish('market_data', Array.from({ length: 30 }, (_, i) => priceEvent('SOL', 100 + i)));

    const { client: second, welcome: resumed } = await connect(two, grants, sessionId);
    expect(resumed['session']).toEqual({ id: sessionId, resumed: true, channels });
    const subscribed = await second.subscribe(channels);
    const outcomes = subscribed['channels'] as Array<Record<string, unknown>>;
    expect(outcomes.map((outcome) => outcome['recovered'])).toEqual([true, true]);
    await publish('alerts', [alertEvent('after')]);

    for (const [index, channel] of channels.entries()) {
      const since = String(outcomes[index]['since']);
      const all = channelIds(await entries(channel.split(':')[0]), channel);
      const expected = all.slice(all.indexOf(since) + 1);
      await waitFor(() => second.idsOf(channel).length >= expected.length, { message: `${channel} caught up` });
      expect(second.idsOf(channel)).toEqual(expected);
      // Session positions lag: at least once, no gap (the first connection saw everything up to its position).
      expect(first.idsOf(channel)).toContain(since);
    }
  });

  it('keeps a resumed session\'s channels when the connection ends before subscribing to them again', async () => {
    const grants = ['market_data:*', 'alerts'];
    const channels = ['alerts', 'market_data:ADA'];
    const { client: first, welcome } = await connect(one, grants);
    const sessionId = (welcome['session'] as { id: string }).id;
    await first.subscribe(channels);
    await waitFor(async () => (await redis.hget(sessionKey(sessionId, prefix), 'data'))?.includes('market_data:ADA'));
    await first.close();
    const before = two.stats().connections;
    const { client: second, welcome: resumed } = await connect(two, grants, sessionId);
    expect(resumed['session']).toMatchObject({ resumed: true, channels });
    await second.close();
    await waitFor(() => two.stats().connections === before);
    const { welcome: again } = await connect(one, grants, sessionId);
    expect(again['session']).toEqual({ id: sessionId, resumed: true, channels });
  });

  it('starts a new session when the stored one belongs to another subject', async () => {
    const { welcome } = await connect(one, ['alerts']);
    const sessionId = (welcome['session'] as { id: string }).id;
    const other = await TestClient.connect(two.port);
    clients.push(other);
    const reply = await other.auth(await testToken(['alerts'], { subject: 'user-2' }), sessionId);
    expect(reply['session']).toMatchObject({ resumed: false, channels: [] });
    expect((reply['session'] as { id: string }).id).not.toBe(sessionId);
  });

  it('answers a repeated subscribe of a channel with recovered: true and replays nothing', async () => {
    const { client } = await connect(one, ['alerts']);
    await client.subscribe(['alerts']);
    const again = await client.subscribe(['alerts'], { alerts: '1-0' });
    expect(again['channels']).toEqual([{ channel: 'alerts', recovered: true, replayed: 0 }]);
  });

  it('issue 11 item 3: a session resumed after a stalled link replays the events that never reached the client', async () => {
    const channel = 'market_data:XRP';
    const proxy = await StallableProxy.start(one.port);
    try {
      const first = await TestClient.connect(proxy.port, { recordEvents: false });
      clients.push(first);
      let pings = 0;
      first.ws.on('ping', () => pings++);
      const welcome = await first.auth(await testToken(['market_data:*']));
      const sessionId = (welcome['session'] as { id: string }).id;
      await first.subscribe([channel]);
      const open = one.stats().connections;
      const received = await publish('market_data', Array.from({ length: 5 }, (_, i) => priceEvent('XRP', i)));
      await waitFor(() => first.idsOf(channel).length === 5);
      // A heartbeat ping after them reached the client, which answered it (ws pongs at once): they are confirmed.
      const pingsBefore = pings;
      await waitFor(() => pings > pingsBefore);

      // The link stalls: the gateway sends 50 events into the network, the client gets none
      // (nor the pings after them, so no later position is ever confirmed).
      proxy.stall();
      const lost = await publish('market_data', Array.from({ length: 50 }, (_, i) => priceEvent('XRP', 100 + i)));
      await waitFor(() => proxy.heldText().includes(lost[49]));
      proxy.cut();
      await waitFor(() => one.stats().connections === open - 1);
      expect(first.idsOf(channel)).toEqual(received);
      // The connection died without a close frame: its session keeps the confirmed position.
      await waitFor(async () => decodeSessionRecord(await redis.hget(sessionKey(sessionId, prefix), 'data'))?.positions[channel] === received[4]);

      const { client: second } = await connect(two, ['market_data:*'], sessionId);
      const subscribed = await second.subscribe([channel]);
      const [outcome] = subscribed['channels'] as Array<Record<string, unknown>>;
      expect(outcome).toMatchObject({ channel, recovered: true });
      await waitFor(() => second.idsOf(channel).length >= lost.length, { timeoutMs: 3_000, message: () => `replayed ${JSON.stringify(outcome)}` });
      // No gap: every event the client never got follows (duplicates of what it got are allowed).
      expect(second.idsOf(channel).filter((id) => !received.includes(id))).toEqual(lost);
    } finally {
      await proxy.close();
    }
  });
});

// Heartbeats at their default (30 s): nothing but the close itself can record the last positions.
describe('resuming after a clean close', () => {
  const prefix = uniquePrefix();
  let one: StreamingGateway;
  let two: StreamingGateway;
  let redis: RedisConnection;
  const clients: TestClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.terminate();
    await Promise.all([one?.close(), two?.close()]);
    await redis?.quit();
  });
  const redisServer = useRedis();

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
    ({ gateway: one } = await startTestGateway(redisServer.server, { prefix, instanceId: 'clean-one' }));
    ({ gateway: two } = await startTestGateway(redisServer.server, { prefix, instanceId: 'clean-two' }));
  });

  async function connect(gateway: StreamingGateway, grants: string[], session?: string): Promise<{ client: TestClient; welcome: Record<string, unknown> }> {
    const client = await TestClient.connect(gateway.port, { recordEvents: false });
    clients.push(client);
    const welcome = await client.auth(await testToken(grants), session);
    expect(welcome['type']).toBe('welcome');
    return { client, welcome };
  }

  const publish = (stream: string, events: Parameters<typeof publishEvents>[3]) => publishEvents(redis, prefix, stream, events);

  it('recovers exactly when a client closed cleanly 100 ms after its last event and resumes on the other replica without since', async () => {
    const channel = 'market_data:DOT';
    const grants = ['market_data:*'];
    const { client: first, welcome } = await connect(one, grants);
    const sessionId = (welcome['session'] as { id: string }).id;
    await first.subscribe([channel]);
    const received = await publish('market_data', Array.from({ length: 10 }, (_, i) => priceEvent('DOT', i)));
    await waitFor(() => first.idsOf(channel).length === received.length);
    // The scenario, not a wait for something: the client closes 100 ms after its last event,
    // long before a heartbeat could confirm it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await first.close()).code).toBe(1000);

    const missedEvents = Array.from({ length: 30 }, (_, i) => (i % 3 === 2 ? priceEvent('ETH', i) : priceEvent('DOT', 100 + i)));
    const missed = (await publish('market_data', missedEvents)).filter((_, i) => i % 3 !== 2);
    const { client: second, welcome: resumed } = await connect(two, grants, sessionId);
    expect(resumed['session']).toEqual({ id: sessionId, resumed: true, channels: [channel] });
    const subscribed = await second.subscribe([channel]);
    expect(subscribed['channels']).toEqual([{ channel, recovered: true, replayed: missed.length, since: received[received.length - 1] }]);
    const [live] = await publish('market_data', [priceEvent('DOT', 999)]);
    await waitFor(() => second.idsOf(channel).length === missed.length + 1);
    expect(second.idsOf(channel)).toEqual([...missed, live]);
  });
});
