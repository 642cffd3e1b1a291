export { DEFAULT_HEARTBEAT_INTERVAL_MS, HEARTBEAT_STREAM, HeartbeatPublisher, type HeartbeatPublisherOptions } from './heartbeat-publisher';
