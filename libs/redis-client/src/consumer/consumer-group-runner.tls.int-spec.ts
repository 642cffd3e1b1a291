import { startRedis } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { readFileSync } from 'node:fs';
import { describeConsumerSuite } from './test/consumer-group-runner.suite';

// TLS only, with a password: the URL is rediss://default:<password>@127.0.0.1:<port>/0.
describeConsumerSuite('tls', () => startRedis({ mode: 'tls' }), (server) => {
  const ca = readFileSync(server.env['REDIS_TLS_CA_FILE'], 'utf8');
  const connect = () => new Redis(server.url, { tls: { ca }, maxRetriesPerRequest: null });
  return { command: connect(), blocking: connect() };
});
