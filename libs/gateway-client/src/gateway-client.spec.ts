import type { ConnectionState } from './connection-state';
import { MemoryStorage } from './client-storage';
import { GatewayClient } from './gateway-client';
import type { GatewayClientOptions } from './gateway-client-options';
import { eventFrame, fakeWebSocket, welcome, type FakeWebSocket } from './test/fake-websocket';

type Fake = ReturnType<typeof fakeWebSocket>;

const flush = (): Promise<void> => jest.advanceTimersByTimeAsync(0);

function makeClient(fake: Fake, options: Partial<GatewayClientOptions> = {}): GatewayClient {
  return new GatewayClient({ url: 'ws://gateway.test/ws', token: 'token-1', WebSocket: fake.WebSocket, random: () => 0.5, ...options });
}

/** Lets the client open its next socket, opens it and answers its `auth` with `welcome`. */
async function authenticate(fake: Fake, overrides: Parameters<typeof welcome>[1] = {}): Promise<FakeWebSocket> {
  await flush();
  const socket = fake.latest();
  socket.open();
  socket.receive(welcome(socket.last('auth').id, overrides));
  return socket;
}

/** Answers the last `subscribe` with `subscribed`, every channel recovered when it had a `since`. */
function answerSubscribe(socket: FakeWebSocket): void {
  const frame = socket.last('subscribe') as unknown as { id: number; channels: string[]; since?: Record<string, string> };
  socket.receive({
    type: 'subscribed',
    id: frame.id,
    channels: frame.channels.map((channel) =>
      frame.since?.[channel] === undefined
        ? { channel, recovered: false, replayed: 0, reason: 'no_position' }
        : { channel, recovered: true, replayed: 0, since: frame.since[channel] },
    ),
  });
}

describe('GatewayClient', () => {
  let fake: Fake;
  let clients: GatewayClient[];
  const track = (client: GatewayClient): GatewayClient => (clients.push(client), client);

  beforeEach(() => {
    jest.useFakeTimers();
    fake = fakeWebSocket();
    clients = [];
  });

  afterEach(async () => {
    await Promise.all(clients.map((client) => client.close()));
    jest.useRealTimers();
  });

  it('authenticates with the first frame and walks through connecting, open and authenticated', async () => {
    const client = track(makeClient(fake));
    const states: ConnectionState[] = [];
    client.on('state', (state) => states.push(state));
    const connected = client.connect();
    await authenticate(fake, { session: 'sess-abc' });

    await expect(connected).resolves.toMatchObject({ type: 'welcome', session: { id: 'sess-abc' } });
    expect(fake.latest().url).toBe('ws://gateway.test/ws');
    expect(fake.latest().sent[0]).toEqual({ op: 'auth', id: 1, token: 'token-1' });
    expect(states).toEqual(['connecting', 'open', 'authenticated']);
    expect(client.sessionId).toBe('sess-abc');
  });

  it('sends the subscribe calls of one tick as one frame and resolves each with its entry', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    const recovered: unknown[] = [];
    client.on('recovered', (...args) => recovered.push(args));

    const btc = client.subscribe('market_data:BTC');
    const alerts = client.subscribe('alerts');
    await flush();
    expect(socket.sent.filter((f) => f.op === 'subscribe')).toEqual([{ op: 'subscribe', id: 2, channels: ['market_data:BTC', 'alerts'] }]);
    answerSubscribe(socket);

    await expect(btc).resolves.toEqual({ channel: 'market_data:BTC', recovered: false, replayed: 0, reason: 'no_position' });
    await expect(alerts).resolves.toMatchObject({ channel: 'alerts' });
    expect(recovered).toEqual([
      ['market_data:BTC', false, 'no_position'],
      ['alerts', false, 'no_position'],
    ]);
  });

  it('delivers events in order and never an id at or below the channel last id', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    void client.subscribe('market_data');
    await flush();
    answerSubscribe(socket);
    const seen: string[] = [];
    client.on('message', (channel, id) => seen.push(`${channel} ${id}`));

    for (const id of ['5-0', '5-1', '5-1', '4-9', '10-0', '9-99']) socket.receive(eventFrame('market_data', id));
    socket.receive(eventFrame('alerts', '11-0'));

    expect(seen).toEqual(['market_data 5-0', 'market_data 5-1', 'market_data 10-0']);
    expect(client.lastId('market_data')).toBe('10-0');
  });

  it('issue 11 item 5: delivers live events after recovered: false, although the since it sent was ahead of them', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    const subscribed = client.subscribe('alerts', { since: '900-0' });
    await flush();
    // The stream was reset: its new ids are all below the position the client had.
    socket.receive({ type: 'subscribed', id: socket.last('subscribe').id, channels: [{ channel: 'alerts', recovered: false, replayed: 0, since: '900-0', reason: 'trimmed' }] });
    await expect(subscribed).resolves.toMatchObject({ recovered: false });
    const seen: string[] = [];
    client.on('message', (channel, id) => seen.push(`${channel} ${id}`));
    for (const id of ['5-0', '6-0', '6-0']) socket.receive(eventFrame('alerts', id));
    expect(seen).toEqual(['alerts 5-0', 'alerts 6-0']);
    expect(client.lastId('alerts')).toBe('6-0');
  });

  it('reconnects after a drop with backoff, resumes the session and resubscribes with the last ids as since', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const first = await authenticate(fake, { session: 'sess-keep' });
    void client.subscribe('market_data:BTC');
    void client.subscribe('alerts');
    await flush();
    answerSubscribe(first);
    first.receive(eventFrame('market_data:BTC', '100-3'));
    const recovered: unknown[] = [];
    client.on('recovered', (...args) => recovered.push(args));

    first.drop(1006);
    expect(client.state).toBe('reconnecting');
    // random 0.5 of the first cap (500 ms): 250 ms.
    await jest.advanceTimersByTimeAsync(249);
    expect(fake.sockets).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fake.sockets).toHaveLength(2);

    const second = fake.latest();
    second.open();
    expect(second.last('auth')).toMatchObject({ token: 'token-1', session: 'sess-keep' });
    second.receive(welcome(second.last('auth').id, { session: 'sess-keep', resumed: true }));
    expect(second.last('subscribe')).toMatchObject({ channels: ['market_data:BTC', 'alerts'], since: { 'market_data:BTC': '100-3' } });
    answerSubscribe(second);
    expect(recovered).toEqual([
      ['market_data:BTC', true, undefined],
      ['alerts', false, 'no_position'],
    ]);
  });

  it('doubles the reconnect delay after each failed attempt up to the maximum', async () => {
    const client = track(makeClient(fake, { reconnect: { baseMs: 100, maxMs: 1_000, jitter: 'none' } }));
    client.connect().catch(() => undefined);
    await flush();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const before = fake.sockets.length;
      fake.latest().drop(1006);
      let waited = 0;
      while (fake.sockets.length === before) {
        await jest.advanceTimersByTimeAsync(10);
        waited += 10;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('stops with auth_failed after close code 4001 when the token is a fixed string', async () => {
    const client = track(makeClient(fake));
    const errors: string[] = [];
    client.on('error', (code) => errors.push(code));
    const connected = client.connect();
    await flush();
    const socket = fake.latest();
    socket.open();
    socket.receive({ type: 'error', id: socket.last('auth').id, code: 'auth_failed', message: 'the token signature is invalid' });
    socket.drop(4001, 'authentication failed');

    await expect(connected).rejects.toMatchObject({ code: 'auth_failed', closeCode: 4001 });
    expect(client.state).toBe('closed');
    expect(errors).toEqual(['auth_failed']);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(1);
  });

  it('reconnects soon with a fresh token after close code 4003 when the token is a function', async () => {
    let issued = 0;
    const client = track(makeClient(fake, { token: async () => `token-${++issued}` }));
    client.connect().catch(() => undefined);
    const first = await authenticate(fake);
    first.drop(4003, 'token expired');
    await jest.advanceTimersByTimeAsync(499);
    expect(fake.sockets).toHaveLength(2);
    fake.latest().open();
    expect(fake.latest().last('auth')).toMatchObject({ token: 'token-2' });
  });

  it('reconnects within the base delay when the server goes away (1001)', async () => {
    const client = track(makeClient(fake, { random: () => 0.99, reconnect: { baseMs: 1_000 } }));
    client.connect().catch(() => undefined);
    const first = await authenticate(fake);
    first.drop(1001, 'server shutting down');
    await jest.advanceTimersByTimeAsync(990);
    expect(fake.sockets).toHaveLength(2);
  });

  it('rejects only the channel the gateway refuses and subscribes the others', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    const good = client.subscribe('market_data');
    const bad = client.subscribe('portfolio_updates:p-999');
    await flush();
    const first = socket.last('subscribe');
    socket.receive({ type: 'error', id: first.id, code: 'not_granted', message: 'not granted', channel: 'portfolio_updates:p-999' });

    await expect(bad).rejects.toMatchObject({ code: 'not_granted', channel: 'portfolio_updates:p-999' });
    expect(socket.last('subscribe')).toMatchObject({ channels: ['market_data'] });
    answerSubscribe(socket);
    await expect(good).resolves.toMatchObject({ channel: 'market_data' });
    expect(client.channels).toEqual(['market_data']);
  });

  it('retries a rate-limited subscribe after retryAfterMs', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    const subscribed = client.subscribe('alerts');
    await flush();
    socket.receive({ type: 'error', id: socket.last('subscribe').id, code: 'rate_limited', message: 'too many operations', retryAfterMs: 300 });
    await jest.advanceTimersByTimeAsync(299);
    expect(socket.sent.filter((f) => f.op === 'subscribe')).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(socket.sent.filter((f) => f.op === 'subscribe')).toHaveLength(2);
    answerSubscribe(socket);
    await expect(subscribed).resolves.toMatchObject({ channel: 'alerts' });
  });

  it('refreshes the token on token_expiring with the token function', async () => {
    let issued = 0;
    const client = track(makeClient(fake, { token: () => `token-${++issued}` }));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    const refreshed = new Promise((resolve) => client.once('authenticated', resolve));
    socket.receive({ type: 'token_expiring', expiresAt: Date.now() + 30_000, expiresInMs: 30_000 });
    await flush();
    const auth = socket.last('auth');
    expect(auth).toMatchObject({ token: 'token-2' });
    expect(auth).not.toHaveProperty('session');
    socket.receive({ type: 'authenticated', id: auth.id, subject: 'user-1', grants: ['*'], expiresAt: Date.now() + 3_600_000, revoked: [] });
    await expect(refreshed).resolves.toMatchObject({ type: 'authenticated' });
  });

  it('issue 11 item 6: keeps a token_expiring that arrives before welcome and refreshes once authenticated', async () => {
    let issued = 0;
    const client = track(makeClient(fake, { token: () => `token-${++issued}` }));
    client.connect().catch(() => undefined);
    const errors: unknown[] = [];
    client.on('error', (...args) => errors.push(args));
    await flush();
    const socket = fake.latest();
    socket.open();
    await flush();
    socket.receive({ type: 'token_expiring', expiresAt: Date.now() + 20_000, expiresInMs: 20_000 });
    socket.receive(welcome(socket.last('auth').id));
    await flush();
    expect(socket.last('auth')).toMatchObject({ token: 'token-2' });
    expect(errors).toEqual([]);
  });

  it('forgets channels a refresh revoked and drops their later events', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    void client.subscribe('portfolio_updates:p-1');
    await flush();
    answerSubscribe(socket);
    const revoked: unknown[] = [];
    const messages: unknown[] = [];
    client.on('revoked', (channels) => revoked.push(channels));
    client.on('message', (channel) => messages.push(channel));

    socket.receive({ type: 'unsubscribed', channels: ['portfolio_updates:p-1'], reason: 'revoked' });
    socket.receive(eventFrame('portfolio_updates:p-1', '1-0'));
    expect(revoked).toEqual([['portfolio_updates:p-1']]);
    expect(messages).toEqual([]);
    expect(client.channels).toEqual([]);
  });

  it('unsubscribes on the server and drops the channel events afterwards', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    void client.subscribe('alerts');
    await flush();
    answerSubscribe(socket);
    const done = client.unsubscribe('alerts');
    const frame = socket.last('unsubscribe');
    expect(frame).toMatchObject({ channels: ['alerts'] });
    socket.receive({ type: 'unsubscribed', id: frame.id, channels: ['alerts'], reason: 'requested' });
    await expect(done).resolves.toBeUndefined();
    const messages: unknown[] = [];
    client.on('message', (channel) => messages.push(channel));
    socket.receive(eventFrame('alerts', '3-0'));
    expect(messages).toEqual([]);
  });

  it('pings a silent line and reconnects when no pong comes', async () => {
    const client = track(makeClient(fake, { idlePingMs: 1_000, pongTimeoutMs: 500 }));
    const errors: string[] = [];
    client.on('error', (code) => errors.push(code));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    await jest.advanceTimersByTimeAsync(1_000);
    const ping = socket.last('ping');
    socket.receive({ type: 'pong', id: ping.id, time: Date.now() });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(socket.sent.filter((f) => f.op === 'ping')).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(500);
    expect(errors).toEqual(['heartbeat_timeout']);
    expect(client.state).toBe('reconnecting');
    expect(socket.closedByClient).toBe(4000);
  });

  it('retries a connection that does not reach welcome within connectTimeoutMs', async () => {
    const client = track(makeClient(fake, { connectTimeoutMs: 2_000 }));
    const errors: string[] = [];
    client.on('error', (code) => errors.push(code));
    client.connect().catch(() => undefined);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(errors).toEqual(['connect_timeout']);
    await jest.advanceTimersByTimeAsync(250);
    expect(fake.sockets).toHaveLength(2);
  });

  it('loads and saves the session id through a session store', async () => {
    const saved: string[] = [];
    const client = track(makeClient(fake, { session: { load: () => 'sess-stored', save: (id) => saved.push(id) } }));
    client.connect().catch(() => undefined);
    await flush();
    fake.latest().open();
    const auth = fake.latest().last('auth');
    expect(auth).toMatchObject({ session: 'sess-stored' });
    fake.latest().receive(welcome(auth.id, { session: 'sess-new' }));
    expect(saved).toEqual(['sess-new']);
  });

  it('keeps the session id and each channel\'s last id in its storage, so a new client resumes from them with since', async () => {
    const storage = new MemoryStorage();
    const first = track(makeClient(fake, { storage }));
    first.connect().catch(() => undefined);
    const socket = await authenticate(fake, { session: 'sess-reload-1' });
    void first.subscribeMany(['market_data:BTC', 'alerts']);
    await flush();
    answerSubscribe(socket);
    socket.receive(eventFrame('market_data:BTC', '7-0'));
    socket.receive(eventFrame('market_data:BTC', '8-0'));
    socket.receive(eventFrame('alerts', '9-0'));
    expect(JSON.parse(storage.getItem('rebal-gateway:ws://gateway.test/ws') ?? 'null')).toEqual({
      v: 1,
      session: 'sess-reload-1',
      positions: { 'market_data:BTC': '8-0', alerts: '9-0' },
    });
    // The page unloads without closing its client: a new one on the same storage takes over.
    socket.drop(1001);
    await first.close();

    const second = track(makeClient(fake, { storage }));
    const seen: string[] = [];
    second.on('message', (channel, id) => seen.push(`${channel} ${id}`));
    second.connect().catch(() => undefined);
    const next = await authenticate(fake, { session: 'sess-reload-1', resumed: true });
    expect(next.last('auth')).toMatchObject({ session: 'sess-reload-1' });
    void second.subscribe('market_data:BTC');
    await flush();
    expect(next.last('subscribe')).toMatchObject({ channels: ['market_data:BTC'], since: { 'market_data:BTC': '8-0' } });
    answerSubscribe(next);
    for (const id of ['8-0', '9-0']) next.receive(eventFrame('market_data:BTC', id));
    expect(seen).toEqual(['market_data:BTC 9-0']);
  });

  it('gives clients sharing a storage and a URL their own keys, and goes on when the storage refuses', async () => {
    const storage = new MemoryStorage();
    const one = track(makeClient(fake, { storage }));
    const two = track(makeClient(fake, { storage }));
    expect([one.storageKey, two.storageKey]).toEqual(['rebal-gateway:ws://gateway.test/ws', 'rebal-gateway:ws://gateway.test/ws#2']);
    await one.close();
    expect(track(makeClient(fake, { storage })).storageKey).toBe('rebal-gateway:ws://gateway.test/ws');
    expect(track(makeClient(fake, { url: 'ws://gateway.test/ws?token=secret', storage, storageKey: 'mine' })).storageKey).toBe('mine');

    const refusing = { getItem: () => 'not json', setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => undefined };
    const client = track(makeClient(fake, { storage: refusing, storageKey: 'refusing' }));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    void client.subscribe('alerts');
    await flush();
    answerSubscribe(socket);
    socket.receive(eventFrame('alerts', '3-0'));
    expect(client.lastId('alerts')).toBe('3-0');
  });

  it('ignores frames of unknown types and reports malformed ones', async () => {
    const client = track(makeClient(fake));
    const errors: string[] = [];
    client.on('error', (code) => errors.push(code));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    socket.receive({ type: 'shiny_new_frame', extra: true });
    socket.receive('{not json');
    socket.receive({ type: 'event', channel: 'alerts', id: 'not-an-id', event: {} });
    expect(errors).toEqual(['protocol_error', 'protocol_error']);
    expect(client.state).toBe('authenticated');
  });

  it('closes idempotently, rejects pending subscribes and never reconnects', async () => {
    const client = track(makeClient(fake));
    client.connect().catch(() => undefined);
    const socket = await authenticate(fake);
    const pending = client.subscribe('alerts');
    await flush();
    const closing = client.close();
    expect(client.close()).toBe(closing);
    await expect(pending).rejects.toMatchObject({ code: 'closed' });
    await closing;
    expect(socket.closedByClient).toBe(1000);
    expect(client.state).toBe('closed');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(fake.sockets).toHaveLength(1);
    await expect(client.subscribe('alerts')).rejects.toMatchObject({ code: 'closed' });
  });

  it('refuses options it cannot work with, naming the option', () => {
    expect(() => makeClient(fake, { url: 'http://x/ws' })).toThrow(/url/);
    expect(() => makeClient(fake, { token: '' })).toThrow(/token/);
    expect(() => makeClient(fake, { reconnect: { baseMs: 0 } })).toThrow(/reconnect.baseMs/);
    expect(() => new GatewayClient({ url: 'ws://x/ws', token: 't' })).toThrow(/WebSocket/);
  });
});
