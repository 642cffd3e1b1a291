export type { GatewayConfig, GatewayLimits } from './gateway-config';
export { GATEWAY_ENV } from './gateway-env';
export { parseGatewayConfig } from './parse-gateway-config';
