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

/** Where `npm start` builds the console (apps/console), relative to the repository; the gateway serves it at `/`. */
export const CONSOLE_DIR = 'dist/apps/console';

/** The services `npm start` runs, in start order (ports from `planPorts`). */
export const STACK_SERVICES: readonly StackService[] = [
  {
    name: 'alert-service',
    // The console is served by the gateway: its origin must be allowed to call the API.
    env: ({ secret, ports }) => ({ AUTH_JWT_SECRET: secret, CORS_ORIGINS: gatewayOrigins(ports['streaming-gateway']) }),
  },
  {
    name: 'streaming-gateway',
    // It serves the console (built into dist/apps/console) and tells it where the health monitor's status is.
    env: ({ secret, ports }) => ({ AUTH_JWT_SECRET: secret, DASHBOARD_DIR: CONSOLE_DIR, HEALTH_API_URL: `http://127.0.0.1:${ports['health-monitor']}/api/v1` }),
  },
  {
    name: 'health-monitor',
    // The console's origin reads its status from the browser.
    env: ({ ports }) => ({ HEALTH_EXPECTED_SERVICES: 'alert-service,streaming-gateway,market-simulator', CORS_ORIGINS: gatewayOrigins(ports['streaming-gateway']) }),
  },
  { name: 'market-simulator', env: () => ({}) },
];

/** Services whose code exists in this checkout (apps/<name>/src/main.ts). */
export function availableServices(root: string): StackService[] {
  return STACK_SERVICES.filter((s) => existsSync(join(root, 'apps', s.name, 'src', 'main.ts')));
}
