// Client load generator for the socket.io server (the peer): socket.io-client with the
// WebSocket transport only, one Manager per connection (`forceNew`), each asking the server
// to join the `market_data` room and counting `price` events. Run by gateway.bench.ts.
//   env: BENCH_URL (http://127.0.0.1:<port>)
import { io } from 'socket.io-client';
import { runClientProcess, type BenchClient, type ClientEvents } from './client-driver';
import { PUBLISHED_FIELD } from './monotonic-clock';

const url = process.env['BENCH_URL'] ?? '';

interface PriceEvent {
  data: Record<string, unknown>;
}

function open(_index: number, events: ClientEvents): Promise<BenchClient> {
  return new Promise<BenchClient>((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000 });
    let ready = false;
    let closing = false;
    let frameBytes = 0;
    const client: BenchClient = {
      close: () =>
        new Promise<void>((done) => {
          closing = true;
          if (socket.disconnected) return done();
          socket.io.engine.once('close', () => done());
          socket.disconnect();
        }),
    };
    socket.on('connect', () => {
      socket.emit('subscribe', 'market_data', () => {
        ready = true;
        resolve(client);
      });
    });
    socket.on('price', (event: PriceEvent) => {
      // socket.io-client hands over the decoded payload, not the frame: its size is computed
      // once from the same encoding the server used (`42["price",<json>]`).
      if (frameBytes === 0) frameBytes = Buffer.byteLength(`42${JSON.stringify(['price', event])}`);
      events.delivered(Number(event.data[PUBLISHED_FIELD]), frameBytes);
    });
    socket.on('connect_error', (error) => {
      if (!ready) reject(error);
    });
    socket.on('disconnect', (reason) => {
      if (!ready) reject(new Error(`disconnected (${reason}) before joining the room`));
      else if (!closing) events.lost(reason);
    });
  });
}

runClientProcess(open);
