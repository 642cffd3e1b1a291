// Consumer throughput: events per second that a ConsumerGroupRunner handles (no-op handler,
// every event validated against its JSON Schema, acked only after its handler) beside a raw
// XREADGROUP COUNT 100 + XACK loop on the same server (the limit) and beside a BullMQ worker
// doing the same no-op work (the peer), all at the same concurrency, taking turns over several
// rounds of one run. Results go to docs/benchmarks.md.
//   bash bench/run.sh consumer [--quick]
import { loadavg } from 'node:os';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { ConsumerGroupRunner, createEvent, createRedisConnection, duplicateConnection, encodeEvent, parseRedisConfig, waitUntilReady } from '@rebal/redis-client';
import { startRedis, type RedisTestServer } from '@rebal/redis-testing';
import { describeMachine } from './support/machine';
import { alternate, cpuMicrosPerOp, measure, rate, ratioTable, type Measurement } from './support/measure';
import { writeSection } from './support/report';

const quick = process.argv.includes('--quick');
const EVENTS = quick ? 10_000 : 100_000;
const ROUNDS = quick ? 2 : 10;
const PER_ROUND = EVENTS / ROUNDS;
const CONCURRENCY = 10;
const COUNT = 100;

function priceEvent(i: number) {
  return createEvent({ type: 'price_update', source: '/bench', subject: 'BTC', data: { symbol: 'BTC', price: 90_000 + (i % 1000), currency: 'USD' } });
}

/** Loads `events` price events into `stream`, pipelined. */
async function fill(redis: Redis, stream: string, events: number): Promise<void> {
  for (let start = 0; start < events; start += 1000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(events, start + 1000); i++) pipeline.xadd(stream, '*', ...encodeEvent(priceEvent(i)));
    await pipeline.exec();
  }
}

/** The library, connected as a service is: a command connection and a blocking copy for XREADGROUP BLOCK. */
async function runnerRound(server: RedisTestServer, probe: Redis, round: number, events: number): Promise<Measurement> {
  const stream = `bench:runner:${round}`;
  await fill(probe, stream, events);
  const redis = createRedisConnection(parseRedisConfig(server.env).main, { name: 'bench-runner' });
  const blocking = duplicateConnection(redis);
  await Promise.all([waitUntilReady(redis), waitUntilReady(blocking)]);
  let handled = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const runner = new ConsumerGroupRunner({
    redis,
    blockingRedis: blocking,
    ownsBlockingConnection: true,
    stream,
    group: 'bench',
    consumer: 'c1',
    startId: '0',
    concurrency: CONCURRENCY,
    count: COUNT,
    blockMs: 100,
    registry: new Registry(),
    handler: async () => {
      if (++handled === events) done();
    },
  });
  const m = await measure('ConsumerGroupRunner (library)', events, async () => {
    await runner.start();
    await finished;
  });
  await runner.stop();
  redis.disconnect();
  await probe.del(stream);
  return m;
}

/** The limit: read a batch, "handle" each entry (JSON.parse of data), XACK the batch, read again. */
async function rawRound(probe: Redis, redis: Redis, round: number, events: number): Promise<Measurement> {
  const stream = `bench:raw:${round}`;
  await fill(probe, stream, events);
  await redis.xgroup('CREATE', stream, 'bench', '0');
  const m = await measure('raw XREADGROUP + XACK loop (limit)', events, async () => {
    let handled = 0;
    while (handled < events) {
      const reply = (await redis.xreadgroup('GROUP', 'bench', 'c1', 'COUNT', COUNT, 'BLOCK', 100, 'STREAMS', stream, '>')) as
        | Array<[string, Array<[string, string[]]>]>
        | null;
      const entries = reply?.[0]?.[1] ?? [];
      for (const [, fields] of entries) JSON.parse(fields[fields.indexOf('data') + 1] ?? 'null');
      if (entries.length) await redis.xack(stream, 'bench', ...entries.map(([id]) => id));
      handled += entries.length;
    }
  });
  await probe.del(stream);
  return m;
}

/** The peer: the same events as BullMQ jobs, a Worker with the same concurrency and a no-op processor. */
async function bullmqRound(server: RedisTestServer, round: number, events: number): Promise<Measurement> {
  const connection = new Redis(server.url, { maxRetriesPerRequest: null });
  const queue = new Queue(`bench-${round}`, { connection, defaultJobOptions: { removeOnComplete: true } });
  for (let start = 0; start < events; start += 1000) {
    const jobs = [];
    for (let i = start; i < Math.min(events, start + 1000); i++) jobs.push({ name: 'price_update', data: priceEvent(i) });
    await queue.addBulk(jobs);
  }
  let handled = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  let worker: Worker | undefined;
  const workerConnection = new Redis(server.url, { maxRetriesPerRequest: null });
  const m = await measure('BullMQ Worker (peer)', events, async () => {
    worker = new Worker(
      `bench-${round}`,
      async () => {
        if (++handled === events) done();
      },
      { connection: workerConnection, concurrency: CONCURRENCY },
    );
    await finished;
  });
  await worker?.close();
  await queue.obliterate({ force: true });
  await queue.close();
  workerConnection.disconnect();
  connection.disconnect();
  return m;
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0].toFixed(2);
  const server = await startRedis({ appendonly: true });
  const probe = new Redis(server.url);
  const raw = new Redis(server.url);
  try {
    // Warm-up (JIT, scripts, connections), not counted.
    await rawRound(probe, raw, -1, 2_000);
    await runnerRound(server, probe, -1, 2_000);
    await bullmqRound(server, -1, 2_000);
    const [limit, lib, peer] = await alternate(ROUNDS, [
      (round) => rawRound(probe, raw, round, PER_ROUND),
      (round) => runnerRound(server, probe, round, PER_ROUND),
      (round) => bullmqRound(server, round, PER_ROUND),
    ]);
    const body = [
      `Machine: ${describeMachine()}; 1-minute load average ${loadAtStart} when the run began (other work shares this machine).`,
      `Command: \`bash bench/run.sh consumer${quick ? ' --quick' : ''}\` (${EVENTS.toLocaleString('en-US')} price events per side in ${ROUNDS} rounds of ${PER_ROUND.toLocaleString('en-US')}, ` +
        `the three sides taking turns in rotation, each round on a freshly filled stream or queue; concurrency ${CONCURRENCY}, batches of ${COUNT}, ` +
        'redis-server with AOF everysec on loopback, one run after a warm-up).',
      '',
      ratioTable([limit, lib, peer], limit, 'events/s'),
      '',
      `CPU of this process per event (the Redis server not counted): raw loop ${cpuMicrosPerOp(limit)} µs, ConsumerGroupRunner ${cpuMicrosPerOp(lib)} µs, BullMQ worker ${cpuMicrosPerOp(peer)} µs.`,
      '',
      `ConsumerGroupRunner against the raw loop: ${(rate(lib) / rate(limit)).toFixed(2)}×; against the BullMQ worker: ${(rate(lib) / rate(peer)).toFixed(1)}×. ` +
        'The runner validates every event (envelope and payload JSON Schemas, compiled once), runs at most 10 handlers at once and acks each entry only after its handler, ' +
        'one XACK for the handlers finished in a turn of the event loop (here one per batch); it asks Redis for the next batch while the handlers run the last one, ' +
        'which is how it keeps up with the raw loop while spending more CPU per event (validation is most of the difference). ' +
        'The raw loop parses `data` and acks whole batches, one request after the other, and validates nothing: it is the limit of consuming this stream, not a peer. ' +
        'BullMQ moves each job through its wait/active/completed lists with Lua scripts, which is what the comparison shows.',
    ].join('\n');
    console.log(body);
    writeSection('consumer', 'Consumer group events per second', body);
  } finally {
    probe.disconnect();
    raw.disconnect();
    await server.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
