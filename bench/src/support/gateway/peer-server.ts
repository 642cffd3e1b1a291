// The peer: a socket.io 4 server with @socket.io/redis-streams-adapter. A client emits
// `subscribe` with a room name and is joined to it (acknowledged); broadcasts to the room
// come from another socket.io node (the publisher process) through the adapter's Redis
// stream. Run by gateway.bench.ts.
//   env: BENCH_REDIS_URL, BENCH_STREAM_KEY (the adapter's stream)
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import { Server } from 'socket.io';
import type { ServerCommand, ServerReport } from './ipc';

const redis = new Redis(process.env['BENCH_REDIS_URL'] ?? '', { maxRetriesPerRequest: null });
const http = createServer();
const io = new Server(http, {
  adapter: createAdapter(redis, { streamName: process.env['BENCH_STREAM_KEY'] ?? 'socket.io' }),
  transports: ['websocket'],
  serveClient: false,
});

io.on('connection', (socket) => {
  socket.on('subscribe', (room: unknown, ack: unknown) => {
    if (typeof room === 'string') void socket.join(room);
    if (typeof ack === 'function') ack({ ok: true });
  });
});

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'listening', port } satisfies ServerReport);
});

function stop(): void {
  void io.close();
  redis.disconnect();
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
