// Client load generator for the streaming gateway (our side): each connection speaks the
// gateway protocol (docs/protocol.md): `auth` with an HS256 JWT of its own, `subscribe` to
// `market_data`, then counts `event` frames. Run by gateway.bench.ts as its own process.
//   env: BENCH_URL (ws://127.0.0.1:<port>/ws), BENCH_JWT_SECRET, BENCH_PROCESS (a number)
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { runClientProcess, type BenchClient, type ClientEvents } from './client-driver';
import { readPublishedUs } from './monotonic-clock';

const url = process.env['BENCH_URL'] ?? '';
const secret = new TextEncoder().encode(process.env['BENCH_JWT_SECRET'] ?? '');
const processIndex = process.env['BENCH_PROCESS'] ?? '0';

interface ControlFrame {
  type: string;
  code?: string;
  message?: string;
}

async function token(index: number): Promise<string> {
  return new SignJWT({ channels: ['market_data'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(`bench-${processIndex}-${index}`)
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(secret);
}

async function open(index: number, events: ClientEvents): Promise<BenchClient> {
  const jwt = await token(index);
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
    ws.on('open', () => ws.send(JSON.stringify({ op: 'auth', id: 1, token: jwt })));
    ws.on('message', (data: Buffer) => {
      if (ready) {
        const publishedUs = readPublishedUs(data);
        if (publishedUs >= 0) events.delivered(publishedUs, data.length);
        return;
      }
      const frame = JSON.parse(data.toString('utf8')) as ControlFrame;
      if (frame.type === 'welcome') ws.send(JSON.stringify({ op: 'subscribe', id: 2, channels: ['market_data'] }));
      else if (frame.type === 'subscribed') {
        ready = true;
        resolve(client);
      } else if (frame.type === 'error') {
        reject(new Error(`refused: ${frame.code}: ${frame.message}`));
        ws.terminate();
      }
    });
    ws.on('error', (error) => {
      if (!ready) reject(error);
    });
    ws.on('close', (code) => {
      if (!ready) reject(new Error(`closed with ${code} before subscribing`));
      else if (!closing) events.lost(String(code));
    });
  });
}

runClientProcess(open);
