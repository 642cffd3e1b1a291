// Publishes price updates at a fixed rate, each stamped with its publish time (monotonic µs,
// in `data.publishedUs`). Mode `stream`: valid `price_update` CloudEvents appended to the
// market_data stream with @rebal/redis-client's StreamPublisher (what our gateway and the
// bare ws limit read). Mode `socketio`: the same CloudEvent emitted to the `market_data` room
// by a socket.io node with @socket.io/redis-streams-adapter (what the peer server receives).
// Mode `direct`: the same CloudEvent JSON sent straight to the limit server over a loopback
// WebSocket, skipping Redis. Run by gateway.bench.ts; commands over IPC.
//   env: BENCH_REDIS_URL, BENCH_MODE (stream | socketio | direct), BENCH_STREAM_KEY (socketio:
//   the adapter's stream), BENCH_INGEST_URL (direct: the limit server's ingest socket)
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { Server } from 'socket.io';
import { WebSocket } from 'ws';
import { createEvent, StreamPublisher, type CloudEvent } from '@rebal/redis-client';
import type { PublisherCommand, PublisherReport } from './ipc';
import { nowUs, PUBLISHED_FIELD } from './monotonic-clock';

const SYMBOLS = ['BTC', 'ETH', 'SOL', 'ADA', 'DOT'];
const TICK_MS = 5;
const MAX_BATCH = 1_000;

const redis = new Redis(process.env['BENCH_REDIS_URL'] ?? '', { maxRetriesPerRequest: null });
const mode = process.env['BENCH_MODE'] === 'socketio' || process.env['BENCH_MODE'] === 'direct' ? process.env['BENCH_MODE'] : 'stream';
const publisher = mode === 'stream' ? new StreamPublisher({ redis, registry: new Registry() }) : undefined;
const io = mode === 'socketio' ? new Server({ adapter: createAdapter(redis, { streamName: process.env['BENCH_STREAM_KEY'] ?? 'socket.io' }) }) : undefined;
const direct = mode === 'direct' ? new WebSocket(process.env['BENCH_INGEST_URL'] ?? '', { perMessageDeflate: false }) : undefined;

let sequence = 0;

function priceEvent(): CloudEvent {
  const symbol = SYMBOLS[sequence % SYMBOLS.length] as string;
  sequence++;
  return createEvent({
    type: 'price_update',
    source: '/bench-publisher',
    subject: symbol,
    data: { symbol, price: 100 + (sequence % 1_000) / 100, currency: 'USD', [PUBLISHED_FIELD]: Math.round(nowUs()) },
  });
}

async function publish(count: number): Promise<void> {
  const events = Array.from({ length: count }, priceEvent);
  if (publisher) await publisher.publishMany('market_data', events);
  else if (direct) for (const event of events) direct.send(JSON.stringify(event));
  else for (const event of events) io?.to('market_data').emit('price', event);
}

let running: { stop: boolean; done: Promise<void> } | undefined;

function report(message: PublisherReport): void {
  process.send?.(message);
}

/** Publishes `rate` per second, in small batches every few ms, until stopped or `maxSeconds`. */
function start(rate: number, maxSeconds: number): void {
  const state = { stop: false, done: Promise.resolve() };
  state.done = (async () => {
    const began = nowUs();
    let sent = 0;
    let maxBehindMs = 0;
    while (!state.stop && nowUs() - began < maxSeconds * 1e6) {
      const due = Math.floor(((nowUs() - began) / 1e6) * rate) - sent;
      if (due > 0) {
        maxBehindMs = Math.max(maxBehindMs, (due / rate) * 1_000);
        const batch = Math.min(due, MAX_BATCH);
        await publish(batch);
        sent += batch;
      }
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    }
    report({ type: 'stopped', published: sent, maxBehindMs, seconds: (nowUs() - began) / 1e6 });
  })();
  running = state;
  report({ type: 'started' });
}

process.on('message', (message: PublisherCommand) => {
  if (message.cmd === 'start') start(message.rate, message.maxSeconds);
  else if (message.cmd === 'stop' && running) running.stop = true;
  else if (message.cmd === 'exit') exit();
});

function exit(): void {
  void io?.close();
  direct?.close();
  redis.disconnect();
  process.exit(0);
}
process.on('SIGTERM', exit);
process.on('disconnect', exit);

// Ready once Redis answers, and in `direct` mode once the limit's ingest socket is open.
redis.once('ready', () => {
  if (!direct || direct.readyState === WebSocket.OPEN) report({ type: 'ready' });
  else direct.once('open', () => report({ type: 'ready' }));
});
