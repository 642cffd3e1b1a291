import { GatewayClient } from '@rebal/gateway-client';
import type { RedisConnection } from '@rebal/redis-client';
import { useRedis, waitFor } from '@rebal/redis-testing';
import WebSocket from 'ws';
import type { StreamingGateway } from '../gateway';
import { alertEvent, publishEvents, startTestGateway, testRedis, testToken, uniquePrefix } from '../test/gateway-test-kit';

// The SDK (libs/gateway-client) against the real gateway: both sides of the protocol at once.
describe('the SDK against the gateway', () => {
  const prefix = uniquePrefix();
  let gateway: StreamingGateway;
  let redis: RedisConnection;
  const clients: GatewayClient[] = [];

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await gateway?.close();
    await redis?.quit();
  });
  const redisServer = useRedis({ appendonly: false });

  beforeAll(async () => {
    redis = await testRedis(redisServer.server);
    ({ gateway } = await startTestGateway(redisServer.server, { prefix, env: { AUTH_CLOCK_TOLERANCE: '0s' } }));
  });

  function client(token: () => Promise<string>): { client: GatewayClient; messages: string[]; closes: number[] } {
    const sdk = new GatewayClient({ url: `ws://127.0.0.1:${gateway.port}/ws`, token, WebSocket, reconnect: { baseMs: 50, maxMs: 200 } });
    clients.push(sdk);
    const messages: string[] = [];
    const closes: number[] = [];
    sdk.on('message', (_channel, id) => messages.push(id));
    sdk.on('disconnect', (code) => closes.push(code));
    return { client: sdk, messages, closes };
  }

  it('issue 11 item 5: a channel resumed from a position ahead of its stream gets recovered: false, then every live event', async () => {
    const { client: sdk, messages } = client(() => testToken(['alerts']));
    await sdk.connect();
    // E.g. the stream was reset after the client last saw it: its position is ahead of everything now.
    const outcome = await sdk.subscribe('alerts', { since: `${Date.now() + 3_600_000}-0` });
    expect(outcome).toMatchObject({ recovered: false, reason: 'trimmed' });
    const published = await publishEvents(redis, prefix, 'alerts', [alertEvent('a-1'), alertEvent('a-2')]);
    await waitFor(() => messages.length === 2, { timeoutMs: 3_000, message: () => `got ${JSON.stringify(messages)}` });
    expect(messages).toEqual(published);
  }, 15_000);

  it('issue 11 item 6: a token that expires within the warning lead is refreshed, and the connection outlives it', async () => {
    let issued = 0;
    // The first token lives 2 s (below the 30 s lead: token_expiring comes at once); refreshes get an hour.
    const { client: sdk, closes } = client(() => testToken(['alerts'], { expiresInSec: issued++ === 0 ? 2 : 3_600 }));
    const refreshed = new Promise((resolve) => sdk.once('authenticated', resolve));
    const welcome = await sdk.connect();
    await expect(refreshed).resolves.toMatchObject({ type: 'authenticated' });
    await waitFor(() => Date.now() > welcome.expiresAt + 500, { timeoutMs: 5_000 });
    expect(closes).toEqual([]);
    expect(sdk.state).toBe('authenticated');
  }, 15_000);
});
