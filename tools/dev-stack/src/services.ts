import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** One service of the local stack. */
export interface StackService {
  /** App folder under apps/ and log prefix. */
  name: string;
  /** HTTP port (each has /livez, /readyz, /metrics). */
  port: number;
  /** Extra environment for this service. */
  env: (ctx: { secret: string; ports: Record<string, number> }) => Record<string, string>;
}

/** The services `npm start` runs, in start order (DESIGN.md ports). */
export const STACK_SERVICES: readonly StackService[] = [
  { name: 'alert-service', port: 8081, env: ({ secret }) => ({ AUTH_JWT_SECRET: secret, CORS_ORIGINS: 'http://127.0.0.1:8080,http://localhost:8080' }) },
  { name: 'streaming-gateway', port: 8080, env: ({ secret }) => ({ AUTH_JWT_SECRET: secret, DASHBOARD_DIR: 'dist/apps/streaming-gateway/dashboard' }) },
  { name: 'health-monitor', port: 8082, env: () => ({ HEALTH_EXPECTED_SERVICES: 'alert-service,streaming-gateway,market-simulator' }) },
  { name: 'market-simulator', port: 8083, env: () => ({}) },
];

/** Services whose code exists in this checkout (apps/<name>/src/main.ts). */
export function availableServices(root: string): StackService[] {
  return STACK_SERVICES.filter((s) => existsSync(join(root, 'apps', s.name, 'src', 'main.ts')));
}
