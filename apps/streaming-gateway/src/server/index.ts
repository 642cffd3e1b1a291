export { redactToken } from './redact-token';
export { serveDashboard, type DashboardServing } from './serve-dashboard';
export { WebSocketEndpoint, type WebSocketEndpointOptions } from './websocket-endpoint';
export { GatewaySocket, type GatewaySocketEvents } from './gateway-socket';
