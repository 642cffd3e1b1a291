// docker/compose.yaml, the local container stack.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { parseDocument } from 'yaml';
import { composeViolations } from './compose-violations';
import { kustomizeBuild } from './kustomize-build';
import { REPO_ROOT } from './repo-root';

interface ComposeFile {
  services: Record<string, { image?: string; build?: { context: string; dockerfile: string }; environment?: Record<string, string>; ports?: string[] }>;
}

const text = () => readFileSync(join(REPO_ROOT, 'docker/compose.yaml'), 'utf8');
const compose = () => parseDocument(text(), { merge: true }).toJS() as ComposeFile;

describe('docker/compose.yaml', () => {
  it('parses, and runs Redis with appendonly yes and noeviction, every service waiting for what it needs to be healthy', () => {
    expect(composeViolations(text())).toEqual([]);
  });

  it('runs Redis and the four apps, each app built from its own Dockerfile with the repository as context', () => {
    const services = compose().services;
    expect(Object.keys(services).sort()).toEqual(['alert-service', 'health-monitor', 'market-simulator', 'redis', 'streaming-gateway']);
    for (const [name, service] of Object.entries(services).filter(([name]) => name !== 'redis')) {
      expect(service.build).toEqual({ context: '..', dockerfile: `docker/${name}.Dockerfile` });
      expect(existsSync(join(REPO_ROOT, 'docker', service.build?.context ?? '', service.build?.dockerfile ?? ''))).toBe(true);
      expect(service.environment?.['REDIS_URL']).toBe('redis://redis:6379/0');
    }
  });

  it('uses the same Redis release as the dev Kubernetes overlay', () => {
    const statefulSet = kustomizeBuild(join(REPO_ROOT, 'k8s/overlays/dev')).find((object) => object.kind === 'StatefulSet') as unknown as IStatefulSet;
    expect(compose().services['redis']?.image).toBe(statefulSet.spec?.template.spec?.containers[0]?.image);
  });

  it('gives the gateway and the alert service one JWT secret of at least 32 bytes, and the gateway the alert API', () => {
    const { services } = compose();
    const secret = services['streaming-gateway']?.environment?.['AUTH_JWT_SECRET'] ?? '';
    expect(Buffer.byteLength(secret)).toBeGreaterThanOrEqual(32);
    expect(services['alert-service']?.environment?.['AUTH_JWT_SECRET']).toBe(secret);
    // The dashboard's browser calls the API, so the address is the published one, not the compose network's.
    expect(services['streaming-gateway']?.environment?.['ALERT_API_URL']).toBe('http://localhost:8081/api/v1');
  });

  it("issue 11 item 30: points the dashboard at the alert API's published port, and lets the dashboard's origins call it", () => {
    const { services } = compose();
    const published = (service: string) => (services[service]?.ports ?? []).map((port) => port.split(':').slice(-2, -1)[0]);
    const apiUrl = new URL(services['streaming-gateway']?.environment?.['ALERT_API_URL'] ?? '');
    expect({ host: apiUrl.hostname, port: apiUrl.port, path: apiUrl.pathname }).toEqual({ host: 'localhost', port: published('alert-service')[0], path: '/api/v1' });
    const apiOrigins = (services['alert-service']?.environment?.['CORS_ORIGINS'] ?? '').split(',');
    const dashboardOrigins = published('streaming-gateway').flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
    expect(dashboardOrigins.filter((origin) => !apiOrigins.includes(origin))).toEqual([]);
  });

  it("points the console at the health monitor's published port, and lets the console's origins read its status", () => {
    const { services } = compose();
    const published = (service: string) => (services[service]?.ports ?? []).map((port) => port.split(':').slice(-2, -1)[0]);
    const healthUrl = new URL(services['streaming-gateway']?.environment?.['HEALTH_API_URL'] ?? '');
    expect({ host: healthUrl.hostname, port: healthUrl.port, path: healthUrl.pathname }).toEqual({ host: 'localhost', port: published('health-monitor')[0], path: '/api/v1' });
    const statusOrigins = (services['health-monitor']?.environment?.['CORS_ORIGINS'] ?? '').split(',');
    const consoleOrigins = published('streaming-gateway').flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);
    expect(consoleOrigins.filter((origin) => !statusOrigins.includes(origin))).toEqual([]);
  });

  it('publishes the HTTP ports on localhost only and keeps Redis unpublished', () => {
    const { services } = compose();
    expect(services['redis']?.ports).toBeUndefined();
    const published = Object.values(services).flatMap((service) => service.ports ?? []);
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((port) => !port.startsWith('127.0.0.1:'))).toEqual([]);
  });
});
