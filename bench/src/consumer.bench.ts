// Consumer throughput: events per second that a ConsumerGroupRunner handles (no-op handler,
// validation on, ack after each handler) beside a raw XREADGROUP + XACK loop on the same
// stream (the limit) and beside a BullMQ worker doing the same no-op work (the peer), all at
// the same concurrency, in one run. Results go to docs/benchmarks.md.
//   bash bench/run.sh consumer [--quick]
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { ConsumerGroupRunner, createEvent, encodeEvent } from '@rebal/redis-client';
import { startRedis, type RedisTestServer } from '@rebal/redis-testing';
import { describeMachine } from './support/machine';
import { measure, rate, ratioTable, type Measurement } from './support/measure';
import { writeSection } from './support/report';

const quick = process.argv.includes('--quick');
const EVENTS = quick ? 10_000 : 100_000;
const CONCURRENCY = 10;
const COUNT = 100;

function priceEvent(i: number) {
  return createEvent({ type: 'price_update', source: '/bench', subject: 'BTC', data: { symbol: 'BTC', price: 90_000 + (i % 1000), currency: 'USD' } });
}

/** Loads `EVENTS` price events into `stream`, pipelined. */
async function fill(redis: Redis, stream: string): Promise<void> {
  for (let start = 0; start < EVENTS; start += 1000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(EVENTS, start + 1000); i++) pipeline.xadd(stream, '*', ...encodeEvent(priceEvent(i)));
    await pipeline.exec();
  }
}

async function runner(server: RedisTestServer): Promise<Measurement> {
  const redis = new Redis(server.url);
  const blocking = new Redis(server.url, { maxRetriesPerRequest: null });
  await fill(redis, 'bench:runner');
  let handled = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const r = new ConsumerGroupRunner({
    redis,
    blockingRedis: blocking,
    stream: 'bench:runner',
    group: 'bench',
    consumer: 'c1',
    startId: '0',
    concurrency: CONCURRENCY,
    count: COUNT,
    blockMs: 100,
    registry: new Registry(),
    handler: async () => {
      if (++handled === EVENTS) done();
    },
  });
  const m = await measure('ConsumerGroupRunner (library)', EVENTS, async () => {
    await r.start();
    await finished;
  });
  await r.stop();
  redis.disconnect();
  blocking.disconnect();
  return m;
}

/** The limit: read a batch, "handle" each entry (JSON.parse of data), XACK the batch. */
async function rawLoop(server: RedisTestServer): Promise<Measurement> {
  const redis = new Redis(server.url);
  await fill(redis, 'bench:raw');
  await redis.xgroup('CREATE', 'bench:raw', 'bench', '0');
  const m = await measure('raw XREADGROUP + XACK loop (limit)', EVENTS, async () => {
    let handled = 0;
    while (handled < EVENTS) {
      const reply = (await redis.xreadgroup('GROUP', 'bench', 'c1', 'COUNT', COUNT, 'BLOCK', 100, 'STREAMS', 'bench:raw', '>')) as
        | Array<[string, Array<[string, string[]]>]>
        | null;
      const entries = reply?.[0]?.[1] ?? [];
      for (const [, fields] of entries) JSON.parse(fields[fields.indexOf('data') + 1] ?? 'null');
      if (entries.length) await redis.xack('bench:raw', 'bench', ...entries.map(([id]) => id));
      handled += entries.length;
    }
  });
  redis.disconnect();
  return m;
}

/** The peer: the same events as BullMQ jobs, a Worker with the same concurrency and a no-op processor. */
async function bullmq(server: RedisTestServer): Promise<Measurement> {
  const connection = new Redis(server.url, { maxRetriesPerRequest: null });
  const queue = new Queue('bench', { connection, defaultJobOptions: { removeOnComplete: true } });
  for (let start = 0; start < EVENTS; start += 1000) {
    const jobs = [];
    for (let i = start; i < Math.min(EVENTS, start + 1000); i++) jobs.push({ name: 'price_update', data: priceEvent(i) });
    await queue.addBulk(jobs);
  }
  let handled = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let worker: Worker | undefined;
  const workerConnection = new Redis(server.url, { maxRetriesPerRequest: null });
  const m = await measure('BullMQ Worker (peer)', EVENTS, async () => {
    worker = new Worker(
      'bench',
      async () => {
        if (++handled === EVENTS) done();
      },
      { connection: workerConnection, concurrency: CONCURRENCY },
    );
    await finished;
  });
  await worker?.close();
  await queue.close();
  workerConnection.disconnect();
  connection.disconnect();
  return m;
}

async function main(): Promise<void> {
  const server = await startRedis({ appendonly: true });
  try {
    const limit = await rawLoop(server);
    const lib = await runner(server);
    const peer = await bullmq(server);
    const body = [
      `Machine: ${describeMachine()}.`,
      `Command: \`bash bench/run.sh consumer${quick ? ' --quick' : ''}\` (${EVENTS.toLocaleString('en-US')} price events preloaded per side, ` +
        `concurrency ${CONCURRENCY}, batches of ${COUNT}, redis-server with AOF everysec on loopback, one run).`,
      '',
      ratioTable([limit, lib, peer], limit, 'events/s'),
      '',
      `ConsumerGroupRunner handles ${(rate(lib) / rate(peer)).toFixed(1)}× the events per second of the BullMQ worker. ` +
        'The runner validates every event against its JSON Schema and acks each one after its handler; the raw loop acks whole batches and validates nothing, ' +
        'so it is the ceiling. BullMQ moves each job through its wait/active/completed lists with Lua scripts, which is what the comparison shows.',
    ].join('\n');
    console.log(body);
    writeSection('consumer', 'Consumer group events per second', body);
  } finally {
    await server.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
