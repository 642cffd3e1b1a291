export { HEARTBEAT_STREAM, HeartbeatPublisher, type HeartbeatPublisherOptions } from './heartbeat-publisher';
