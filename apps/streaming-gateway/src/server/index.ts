export { redactToken } from './redact-token';
export { serveDashboard } from './serve-dashboard';
export { WebSocketEndpoint, type WebSocketEndpointOptions } from './websocket-endpoint';
