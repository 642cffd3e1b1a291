import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayOrigins } from './gateway-origins';
import type { PlannedService, PortPlan } from './port-plan';

/** What a service's extra environment is computed from. */
export interface StackServiceContext {
  /** The development JWT secret shared by the gateway and the alert service. */
  secret: string;
  /** Every service's port (from `REBAL_PORT_BASE`). */
  ports: PortPlan;
}

/** One service of the local stack. */
export interface StackService {
  /** App folder under apps/, log prefix, and its entry in the port plan. */
  name: PlannedService;
  /** Extra environment for this service. */
  env: (ctx: StackServiceContext) => Record<string, string>;
}

/** The services `npm start` runs, in start order (ports from `planPorts`). */
export const STACK_SERVICES: readonly StackService[] = [
  {
    name: 'alert-service',
    // The dashboard is served by the gateway: its origin must be allowed to call the API.
    env: ({ secret, ports }) => ({ AUTH_JWT_SECRET: secret, CORS_ORIGINS: gatewayOrigins(ports['streaming-gateway']) }),
  },
  { name: 'streaming-gateway', env: ({ secret }) => ({ AUTH_JWT_SECRET: secret, DASHBOARD_DIR: 'dist/apps/streaming-gateway/dashboard' }) },
  { name: 'health-monitor', env: () => ({ HEALTH_EXPECTED_SERVICES: 'alert-service,streaming-gateway,market-simulator' }) },
  { name: 'market-simulator', env: () => ({}) },
];

/** Services whose code exists in this checkout (apps/<name>/src/main.ts). */
export function availableServices(root: string): StackService[] {
  return STACK_SERVICES.filter((s) => existsSync(join(root, 'apps', s.name, 'src', 'main.ts')));
}
