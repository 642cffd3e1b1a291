import { startRedis } from '@rebal/redis-testing';
import Redis from 'ioredis';
import { describeConsumerSuite } from './test/consumer-group-runner.suite';

describeConsumerSuite('standalone', () => startRedis(), (server) => ({
  command: new Redis(server.url, { maxRetriesPerRequest: null }),
  blocking: new Redis(server.url, { maxRetriesPerRequest: null }),
}));
