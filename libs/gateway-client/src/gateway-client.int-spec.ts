// The client over real sockets (the `ws` package, as on Node 20) against a tiny server that
// speaks the protocol. The end-to-end test against the real gateway lives with the gateway.
import { waitFor } from '@rebal/redis-testing';
import WebSocket from 'ws';
import { GatewayClient } from './gateway-client';
import type { GatewayClientOptions } from './gateway-client-options';
import { ProtocolTestServer } from './test/protocol-test-server';

const TOKEN = 'test-token';

describe('GatewayClient against a protocol-speaking server', () => {
  const servers: ProtocolTestServer[] = [];
  const clients: GatewayClient[] = [];

  async function setup(serverOptions: { replayOverlap?: number } = {}, clientOptions: Partial<GatewayClientOptions> = {}) {
    const server = await ProtocolTestServer.start({ token: TOKEN, ...serverOptions });
    servers.push(server);
    const client = new GatewayClient({ url: server.url, token: TOKEN, WebSocket, reconnect: { baseMs: 20, maxMs: 200 }, ...clientOptions });
    clients.push(client);
    const messages: string[] = [];
    client.on('message', (channel, id) => messages.push(`${channel} ${id}`));
    const recovered: [string, boolean, string | undefined][] = [];
    client.on('recovered', (channel, ok, reason) => recovered.push([channel, ok, reason]));
    return { server, client, messages, recovered };
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });

  it('reconnects after a dropped connection and resubscribes with since, getting exactly the missed events', async () => {
    const { server, client, messages, recovered } = await setup();
    const welcome = await client.connect();
    await client.subscribeMany(['market_data:BTC', 'alerts']);
    const expected: string[] = [];
    for (let i = 0; i < 3; i++) expected.push(`market_data:BTC ${server.publish('market_data:BTC', { price: 100 + i })}`);
    expected.push(`alerts ${server.publish('alerts', { alert: { id: 'a-1' } })}`);
    await waitFor(() => messages.length === 4, { timeoutMs: 5_000 });
    const lastBtc = client.lastId('market_data:BTC');

    server.dropAll();
    // Published while the client is away: it must get them through replay.
    for (let i = 0; i < 5; i++) expected.push(`market_data:BTC ${server.publish('market_data:BTC', { price: 200 + i })}`);
    await waitFor(() => messages.length === 9, { timeoutMs: 5_000, message: () => `got ${messages.length} messages` });
    expected.push(`alerts ${server.publish('alerts', { alert: { id: 'a-2' } })}`);
    await waitFor(() => messages.length === 10, { timeoutMs: 5_000 });

    expect(messages).toEqual(expected);
    const auths = server.framesWith('auth');
    expect(auths.map((a) => a.connection)).toEqual([0, 1]);
    expect(auths[1]?.frame['session']).toBe(welcome.session.id);
    const resubscribe = server.framesWith('subscribe').find((s) => s.connection === 1);
    expect(resubscribe?.frame).toMatchObject({
      channels: ['market_data:BTC', 'alerts'],
      since: { 'market_data:BTC': lastBtc, alerts: expected[3]?.split(' ')[1] },
    });
    expect(recovered).toEqual([
      ['market_data:BTC', false, 'no_position'],
      ['alerts', false, 'no_position'],
      ['market_data:BTC', true, undefined],
      ['alerts', true, undefined],
    ]);
  });

  it('drops replayed events it already delivered when the server replays from an older position', async () => {
    const { server, client, messages } = await setup({ replayOverlap: 2 });
    await client.connect();
    await client.subscribe('market_data');
    const ids = [1, 2, 3].map((price) => server.publish('market_data', { price }));
    await waitFor(() => messages.length === 3, { timeoutMs: 5_000 });

    server.dropAll(1001);
    ids.push(server.publish('market_data', { price: 4 }));
    await waitFor(() => server.framesWith('subscribe').length === 2, { timeoutMs: 5_000 });
    ids.push(server.publish('market_data', { price: 5 }));
    await waitFor(() => messages.length === 5, { timeoutMs: 5_000 });

    expect(messages).toEqual(ids.map((id) => `market_data ${id}`));
    expect(server.connectionsOpened).toBe(2);
  });

  it('ends with auth_failed when the gateway refuses a fixed token', async () => {
    const { server, client } = await setup({}, { token: 'wrong-token' });
    const errors: string[] = [];
    client.on('error', (code) => errors.push(code));
    await expect(client.connect()).rejects.toMatchObject({ code: 'auth_failed', closeCode: 4001 });
    expect(client.state).toBe('closed');
    expect(errors).toEqual(['auth_failed']);
    expect(server.connectionsOpened).toBe(1);
  });
});
