import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { WebSocketEndpoint } from './websocket-endpoint';

/** How an upgrade attempt ended: `open`, or the HTTP status it was refused with. */
function upgrade(port: number, headers: Record<string, string>, path = '/ws'): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

describe('WebSocketEndpoint', () => {
  let server: Server;
  let endpoint: WebSocketEndpoint;
  let port: number;

  beforeAll(async () => {
    server = createServer((_request, response) => response.writeHead(404).end());
    endpoint = new WebSocketEndpoint({
      server,
      maxPayloadBytes: 65_536,
      allowedOrigins: ['https://app.example.com'],
      onConnection: (ws) => ws.on('error', () => undefined),
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    endpoint.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('issue 11 item 30: refuses with 403 an upgrade from a browser Origin that is neither listed nor the gateway\'s own', async () => {
    expect(await upgrade(port, { Origin: 'https://evil.example' })).toBe(403);
    expect(await upgrade(port, { Origin: 'http://app.example.com' })).toBe(403);
    expect(await upgrade(port, { Origin: 'https://app.example.com:8443' })).toBe(403);
    expect(await upgrade(port, { Origin: 'null' })).toBe(403);
  });

  it('issue 11 item 30: accepts a listed Origin, the page the gateway serves itself (same host) and clients that send no Origin', async () => {
    expect(await upgrade(port, { Origin: 'https://app.example.com' })).toBe('open');
    expect(await upgrade(port, { Origin: `http://127.0.0.1:${port}` })).toBe('open');
    // Behind a TLS-terminating Ingress the scheme differs; the host is what the browser asked for.
    expect(await upgrade(port, { Origin: 'https://gateway.example.com', Host: 'gateway.example.com' })).toBe('open');
    expect(await upgrade(port, {})).toBe('open');
  });

  it('answers 404 on other paths, whatever the Origin', async () => {
    expect(await upgrade(port, { Origin: 'https://app.example.com' }, '/other')).toBe(404);
  });
});
