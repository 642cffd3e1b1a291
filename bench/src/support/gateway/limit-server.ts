// The limit: a bare `ws` broadcast that skips Redis. The publisher hands it each CloudEvent
// directly over a loopback WebSocket (`/ingest`); it wraps the event once in the same `event`
// frame the gateway sends (same size) and sends that to every connected client. No Redis, no
// authentication, no subscriptions, no per-client state beyond ws's own client set: what Node
// and ws cost per delivery. Run by gateway.bench.ts.
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ServerCommand, ServerReport } from './ipc';

const clients = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
const ingest = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
// Entry ids shaped like Redis stream ids, so frames are the gateway's size: `<ms>-<seq>`.
let lastMs = 0;
let seq = 0;

function nextId(): string {
  const now = Date.now();
  if (now === lastMs) seq++;
  else {
    lastMs = now;
    seq = 0;
  }
  return `${now}-${seq}`;
}

function broadcast(eventJson: RawData): void {
  const frame = Buffer.from(`{"type":"event","channel":"market_data","stream":"market_data","id":"${nextId()}","event":${eventJson.toString()}}`, 'utf8');
  for (const client of clients.clients) client.send(frame, { binary: false });
}

ingest.on('connection', (socket: WebSocket) => socket.on('message', broadcast));

function portOf(server: WebSocketServer): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

let listening = 0;
for (const server of [clients, ingest]) {
  server.on('listening', () => {
    if (++listening === 2) process.send?.({ type: 'listening', port: portOf(clients), ingestPort: portOf(ingest) } satisfies ServerReport);
  });
}

function stop(): void {
  clients.close();
  ingest.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('disconnect', stop);
process.on('message', (message: ServerCommand) => {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (message.cmd === 'gc' && gc) {
    gc();
    process.send?.({ type: 'collected' } satisfies ServerReport);
  }
});
