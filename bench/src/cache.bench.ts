// Cache throughput: `Cache.get` / `Cache.set` through @rebal/redis-client beside raw ioredis
// GET / SET at the same concurrency on the same server, and beside `redis-benchmark` (the
// server's own limit at that concurrency). Results go to docs/benchmarks.md.
//   bash bench/run.sh cache [--quick]
import { execFileSync } from 'node:child_process';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { Cache, createRedisConnection, parseRedisConfig, waitUntilReady } from '@rebal/redis-client';
import { startRedis } from '@rebal/redis-testing';
import { describeMachine } from './support/machine';
import { measure, rate, ratioTable, runConcurrent, type Measurement } from './support/measure';
import { writeSection } from './support/report';

const quick = process.argv.includes('--quick');
const OPS = quick ? 20_000 : 200_000;
const CONCURRENCY = 50;
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
  return { name: `redis-benchmark ${test.toUpperCase()} (limit)`, ops: rps, seconds: 1 };
}

async function main(): Promise<void> {
  const server = await startRedis({ appendonly: true });
  const port = server.nodes[0]?.port ?? 0;
  const connection = createRedisConnection(parseRedisConfig(server.env).main, { name: 'bench-cache' });
  const raw = new Redis(server.url);
  try {
    await waitUntilReady(connection);
    const cache = new Cache({ redis: connection, namespace: 'bench', defaultTtlSeconds: 600, registry: new Registry() });
    const keys = 1_000;
    const json = JSON.stringify(VALUE);

    const libSet = await measure('Cache.set (library)', OPS, () => runConcurrent(OPS, CONCURRENCY, (i) => cache.set(`k${i % keys}`, VALUE)));
    const rawSet = await measure('ioredis SET EX (raw)', OPS, () => runConcurrent(OPS, CONCURRENCY, (i) => raw.set(`cache:raw:k${i % keys}`, json, 'EX', 600)));
    const libGet = await measure('Cache.get (library)', OPS, () => runConcurrent(OPS, CONCURRENCY, (i) => cache.get(`k${i % keys}`)));
    const rawGet = await measure('ioredis GET (raw)', OPS, () => runConcurrent(OPS, CONCURRENCY, async (i) => JSON.parse((await raw.get(`cache:raw:k${i % keys}`)) ?? 'null')));
    const limitSet = redisBenchmark(port, 'set');
    const limitGet = redisBenchmark(port, 'get');
    await cache.close();

    const body = [
      `Machine: ${describeMachine()}.`,
      `Command: \`bash bench/run.sh cache${quick ? ' --quick' : ''}\` (${OPS.toLocaleString('en-US')} operations per side, ${CONCURRENCY} in flight, ` +
        `a ${json.length}-byte JSON value over 1,000 keys, redis-server with AOF everysec on loopback, measured in one run).`,
      '',
      '### SET',
      ratioTable([libSet, rawSet, limitSet], limitSet),
      '',
      '### GET',
      ratioTable([libGet, rawGet, limitGet], limitGet),
      '',
      `The library against raw ioredis: set ${(rate(libSet) / rate(rawSet)).toFixed(2)}×, get ${(rate(libGet) / rate(rawGet)).toFixed(2)}×. ` +
        'A library `get` is one round trip carrying GET and PTTL (the TTL is kept for the in-process fallback copy), ' +
        'plus JSON decoding and an LRU write; `redis-benchmark` is a C client with no decoding, so it is the ceiling, not a peer.',
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
