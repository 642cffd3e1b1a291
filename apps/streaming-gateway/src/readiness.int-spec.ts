// /readyz of the gateway through a Redis outage: every replica is equally without Redis, so
// readiness must not take them all out of the Service; the protocol answers clients instead.
import { useRedis, waitFor } from '@rebal/redis-testing';
import type { StreamingGateway } from './gateway';
import { startTestGateway, testToken, uniquePrefix } from './test/gateway-test-kit';
import { TestClient } from './test/test-client';

describe('the gateway\'s readiness', () => {
  let gateway: StreamingGateway | undefined;
  const clients: TestClient[] = [];

  // Declared before useRedis: afterAll hooks run in order, and the gateway closes while Redis runs.
  afterAll(async () => {
    for (const client of clients) client.terminate();
    await gateway?.close();
  }, 30_000);
  // Durable, as production's Redis is: the streams and groups survive its restart.
  const redisServer = useRedis({ appendonly: true });

  it('issue 11 item 32: stays ready through a Redis outage, keeping its clients, welcoming new ones and answering subscriptions with unavailable, and runs its readers again afterwards', async () => {
    gateway = (await startTestGateway(redisServer.server, { prefix: uniquePrefix() })).gateway;
    const readyz = async () => (await fetch(`http://127.0.0.1:${gateway?.port}/readyz`)).status;
    await waitFor(() => gateway?.readiness().ready);
    const client = await TestClient.connect(gateway.port);
    clients.push(client);
    expect((await client.auth(await testToken(['*']))).type).toBe('welcome');

    await redisServer.server.stop();
    await waitFor(() => gateway?.readiness().checks['redis'] !== 'ready', { message: 'the gateway to notice that Redis is gone' });
    expect(await readyz()).toBe(200);
    // What the Ingress would have refused with 503: a new client connects and authenticates, and
    // the protocol answers its subscription, as it does the connected one's.
    const newcomer = await TestClient.connect(gateway.port);
    clients.push(newcomer);
    expect((await newcomer.auth(await testToken(['*']))).type).toBe('welcome');
    expect(await newcomer.subscribe(['market_data'])).toMatchObject({ type: 'error', code: 'unavailable' });
    expect(await client.subscribe(['market_data'])).toMatchObject({ type: 'error', code: 'unavailable' });
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    expect(await readyz()).toBe(200);

    await redisServer.server.start();
    await waitFor(() => gateway?.readiness().checks['consumers'] === 'running', { timeoutMs: 30_000, message: 'the stream readers to run again' });
    expect(await readyz()).toBe(200);
    // The client retries with backoff, as `unavailable` tells it to, until the gateway serves it again.
    await waitFor(async () => (await client.subscribe(['market_data'])).type === 'subscribed', { timeoutMs: 30_000, intervalMs: 250, message: 'a subscription accepted once Redis is back' });
    expect(await readyz()).toBe(200);
  }, 60_000);
});
