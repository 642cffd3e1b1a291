export { channelFamily, createGatewayMetrics, type GatewayMetrics, type ResumeOutcome } from './gateway-metrics';
