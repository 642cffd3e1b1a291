// Client load generator for the bare `ws` broadcast server (the limit): plain WebSocket
// connections, no protocol; each counts the frames it receives. Run by gateway.bench.ts.
//   env: BENCH_URL (ws://127.0.0.1:<port>/)
import WebSocket from 'ws';
import { runClientProcess, type BenchClient, type ClientEvents } from './client-driver';
import { readPublishedUs } from './monotonic-clock';

const url = process.env['BENCH_URL'] ?? '';

function open(_index: number, events: ClientEvents): Promise<BenchClient> {
  return new Promise<BenchClient>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let ready = false;
    let closing = false;
    const client: BenchClient = {
      close: () =>
        new Promise<void>((done) => {
          closing = true;
          if (ws.readyState === WebSocket.CLOSED) return done();
          ws.once('close', () => done());
          ws.close(1000);
        }),
    };
    ws.on('open', () => {
      ready = true;
      resolve(client);
    });
    ws.on('message', (data: Buffer) => {
      const publishedUs = readPublishedUs(data);
      if (publishedUs >= 0) events.delivered(publishedUs, data.length);
    });
    ws.on('error', (error) => {
      if (!ready) reject(error);
    });
    ws.on('close', (code) => {
      if (!ready) reject(new Error(`closed with ${code} before opening`));
      else if (!closing) events.lost(String(code));
    });
  });
}

runClientProcess(open);
