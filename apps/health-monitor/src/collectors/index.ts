// What a check reads from Redis: the servers (INFO), the streams and their groups (XINFO),
// and the services' heartbeats (the shared registry the heartbeat consumer writes).
export { collectRedis, inspectNode, type CollectRedisOptions } from './collect-redis';
export { collectStreams, type CollectStreamsOptions, type WatchedStream } from './collect-streams';
export { HeartbeatRegistry, type HeartbeatRegistryOptions } from './heartbeat-registry';
export type { InstanceRecord } from './instance-record';
export { parseServerInfo } from './parse-server-info';
export { parseStreamFull } from './parse-stream-full';
export { compareStreamIds, replyErrorMessage as errorMessage, parseInfo, streamIdMs } from '@rebal/redis-client';
export type { RedisNodeReport, RedisReport, RedisServerInfo } from './redis-report';
export { isClusterConnection, nodeAddress, type ClusterConnection, type RedisNode } from './redis-node';
export type { ConsumerReport, GroupReport, StreamReport } from './stream-report';
export { CheckTimeoutError, withTimeout } from './with-timeout';
export { HEARTBEAT_GROUP, HeartbeatConsumer, type HeartbeatConsumerOptions } from './heartbeat-consumer';
