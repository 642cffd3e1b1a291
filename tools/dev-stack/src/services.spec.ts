import { gatewayOrigins } from './gateway-origins';
import { planPorts } from './port-plan';
import { STACK_SERVICES } from './services';

function envOf(name: string, base: number): Record<string, string> {
  const service = STACK_SERVICES.find((s) => s.name === name);
  if (!service) throw new Error(`no service ${name}`);
  return service.env({ secret: 's'.repeat(43), ports: planPorts(base) });
}

describe('STACK_SERVICES', () => {
  it('runs the four services, the alert service first', () => {
    expect(STACK_SERVICES.map((s) => s.name)).toEqual(['alert-service', 'streaming-gateway', 'health-monitor', 'market-simulator']);
  });

  it("lets the console's origin call the alert API and read the health status under any port base", () => {
    expect(envOf('alert-service', 8080)['CORS_ORIGINS']).toBe('http://127.0.0.1:8080,http://localhost:8080');
    expect(envOf('alert-service', 18_080)['CORS_ORIGINS']).toBe(gatewayOrigins(18_080));
    expect(envOf('health-monitor', 18_080)['CORS_ORIGINS']).toBe(gatewayOrigins(18_080));
    expect(gatewayOrigins(18_080)).toBe('http://127.0.0.1:18080,http://localhost:18080');
  });

  it('serves the console from its build and points it at the health monitor of the same port plan', () => {
    expect(envOf('streaming-gateway', 18_080)).toMatchObject({ DASHBOARD_DIR: 'dist/apps/console', HEALTH_API_URL: 'http://127.0.0.1:18082/api/v1' });
  });

  it('gives the gateway and the alert service the same JWT secret', () => {
    expect(envOf('alert-service', 8080)['AUTH_JWT_SECRET']).toBe(envOf('streaming-gateway', 8080)['AUTH_JWT_SECRET']);
  });
});
