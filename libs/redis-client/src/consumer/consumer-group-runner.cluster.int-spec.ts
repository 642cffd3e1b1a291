import { startRedis } from '@rebal/redis-testing';
import { Cluster } from 'ioredis';
import { describeConsumerSuite } from './test/consumer-group-runner.suite';

// A 3-master Redis Cluster: the stream and its `:dlq` land in different slots (often on different nodes).
describeConsumerSuite('cluster', () => startRedis({ mode: 'cluster' }), (server) => {
  const nodes = server.env['REDIS_CLUSTER_NODES'].split(',').map((hostPort) => {
    const [host, port] = hostPort.split(':');
    return { host, port: Number(port) };
  });
  const connect = () => new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null } });
  return { command: connect(), blocking: connect() };
});
