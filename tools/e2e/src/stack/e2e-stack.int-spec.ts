import { GatewayClient } from '@rebal/gateway-client';
import { waitFor } from '@rebal/redis-testing';
import WebSocket from 'ws';
import { E2eStack } from './e2e-stack';

describe('E2eStack', () => {
  let stack: E2eStack;

  beforeAll(async () => {
    stack = await E2eStack.start({ alertReplicas: 1, gatewayReplicas: 2, simulator: true });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  }, 60_000);

  it('runs every service as its own least-privilege Redis user over TLS, with no refusal in ACL LOG', async () => {
    const client = new GatewayClient({ url: stack.gatewayUrl, token: await stack.token({ channels: ['market_data'] }), WebSocket: WebSocket as never });
    const seen: string[] = [];
    client.on('message', (_channel, id) => seen.push(id));
    try {
      await client.connect();
      await client.subscribe('market_data');
      await waitFor(() => seen.length >= 3, { timeoutMs: 15_000, message: () => `3 simulator prices through the balancer (got ${seen.length})` });
    } finally {
      await client.close();
    }
    expect(await stack.redis.aclLog()).toEqual([]);
  });

  it('brings a killed gateway back on the same port, behind the same balancer', async () => {
    const gateway = stack.replica('streaming-gateway-1');
    const exit = await gateway.kill();
    expect(exit?.signal).toBe('SIGKILL');
    await gateway.start();
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(gateway.instanceId).toBe('streaming-gateway-1-2');
  });
});
