// Client load generator for the streaming gateway (our side): each connection speaks the
// gateway protocol (docs/protocol.md): `auth` with an HS256 JWT of its own, `subscribe` to
// `market_data`, then counts `event` frames. Run by gateway.bench.ts as its own process.
//   env: BENCH_URL (ws://127.0.0.1:<port>/ws, or several comma-separated: connection i goes to
//   URL i mod n, as a load balancer would spread them), BENCH_JWT_SECRET, BENCH_PROCESS (a number)
import { SignJWT } from 'jose';
import { runClientProcess, type BenchClient, type ClientEvents } from './client-driver';
import { openBenchSocket } from './open-bench-socket';

const urls = (process.env['BENCH_URL'] ?? '').split(',');
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
  return openBenchSocket(urls[index % urls.length] ?? '', events, {
    hello: JSON.stringify({ op: 'auth', id: 1, token: jwt }),
    waitingFor: 'subscribing',
    onFrame: (data) => {
      const frame = JSON.parse(data.toString('utf8')) as ControlFrame;
      if (frame.type === 'welcome') return { send: JSON.stringify({ op: 'subscribe', id: 2, channels: ['market_data'] }) };
      if (frame.type === 'subscribed') return { ready: true };
      if (frame.type === 'error') return { fail: new Error(`refused: ${frame.code}: ${frame.message}`) };
      return undefined;
    },
  });
}

runClientProcess(open);
