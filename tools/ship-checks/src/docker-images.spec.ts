// The shipped Dockerfiles: each parses and follows the image rules, builds its own app the way
// the workspace builds it, and agrees with the Kubernetes manifests about its port.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { parseDockerfileStages } from './dockerfile-stages';
import { dockerfileViolations } from './dockerfile-violations';
import { kustomizeBuild } from './kustomize-build';
import { REPO_ROOT } from './repo-root';

const PORTS: Readonly<Record<string, number>> = { 'alert-service': 8081, 'health-monitor': 8082, 'market-simulator': 8083, 'streaming-gateway': 8080 };
const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
/** Projects an image builds and ships beside its app: the gateway serves the console (apps/console) at /. */
const SHIPPED_WITH: Readonly<Record<string, readonly string[]>> = { 'streaming-gateway': ['console'] };

describe('docker/', () => {
  it('holds one Dockerfile per app', () => {
    const dockerfiles = readdirSync(join(REPO_ROOT, 'docker')).filter((name) => name.endsWith('.Dockerfile'));
    expect(dockerfiles.sort()).toEqual(Object.keys(PORTS).map((app) => `${app}.Dockerfile`));
  });

  it('uses one Node.js base image, pinned to an exact release, for every stage of every image', () => {
    const bases = new Set(Object.keys(PORTS).flatMap((app) => parseDockerfileStages(read(`docker/${app}.Dockerfile`)).stages.map((stage) => stage.from)));
    expect([...bases]).toEqual([expect.stringMatching(/^node:\d+\.\d+\.\d+-bookworm-slim$/)]);
  });
});

describe.each(Object.entries(PORTS))('docker/%s.Dockerfile', (app, port) => {
  const text = () => read(`docker/${app}.Dockerfile`);
  const stages = () => parseDockerfileStages(text()).stages;

  it('parses and follows the image rules: multi-stage, pinned, non-root, HEALTHCHECK, no dev dependencies', () => {
    expect(dockerfileViolations(text())).toEqual([]);
  });

  it('builds the app with npm ci and nx, and ships only its bundle on top of production dependencies', () => {
    const [build, runtime] = [stages().at(0), stages().at(-1)];
    const runs = (stage: typeof build) => stage?.instructions.filter((instruction) => instruction.keyword === 'RUN').map((instruction) => instruction.args) ?? [];
    const projects = [app, ...(SHIPPED_WITH[app] ?? [])];
    expect(runs(build)).toEqual([expect.stringMatching(/^npm ci\b/), ...projects.map((project) => `npx nx run ${project}:build`)]);
    expect(runs(runtime)).toEqual([expect.stringMatching(/^npm ci --omit=dev --ignore-scripts\b/)]);
    const copies = runtime?.instructions.filter((instruction) => instruction.keyword === 'COPY' && instruction.flags['from']);
    expect(copies?.map((copy) => [copy.flags['from'], copy.args])).toEqual(projects.map((project) => [build?.name, `/src/dist/apps/${project} ./dist/apps/${project}`]));
    const command = runtime?.instructions.filter((instruction) => instruction.keyword === 'CMD').at(-1);
    expect(JSON.parse(command?.args ?? '[]')).toEqual(['node', `dist/apps/${app}/main.js`]);
  });

  it(`exposes port ${port}, the port its HEALTHCHECK asks and its PORT default`, () => {
    const runtime = stages().at(-1)?.instructions ?? [];
    expect(runtime.filter((instruction) => instruction.keyword === 'EXPOSE').map((instruction) => instruction.args)).toEqual([String(port)]);
    expect(runtime.find((instruction) => instruction.keyword === 'HEALTHCHECK')?.args).toContain(`|| ${port})`);
    expect(runtime.find((instruction) => instruction.keyword === 'ENV' && instruction.args.includes('PORT='))?.args).toMatch(new RegExp(`\\bPORT=${port}\\b`));
  });
});

describe('docker/streaming-gateway.Dockerfile', () => {
  it('serves the console from the build output it copies', () => {
    const runtime = parseDockerfileStages(read('docker/streaming-gateway.Dockerfile')).stages.at(-1)?.instructions ?? [];
    const env = runtime.filter((instruction) => instruction.keyword === 'ENV').map((instruction) => instruction.args).join(' ');
    expect(env).toMatch(/\bDASHBOARD_DIR=\/app\/dist\/apps\/console(\s|$)/);
    expect(runtime.filter((instruction) => instruction.keyword === 'COPY').map((instruction) => instruction.args)).toContain('/src/dist/apps/console ./dist/apps/console');
  });
});

describe('the images and the Kubernetes manifests', () => {
  it('agree on each app\'s port and run as the image\'s non-root user', () => {
    const deployments = kustomizeBuild(join(REPO_ROOT, 'k8s/overlays/dev')).filter((object) => object.kind === 'Deployment') as unknown as IDeployment[];
    for (const deployment of deployments) {
      const app = deployment.metadata?.name ?? '';
      const runtime = parseDockerfileStages(read(`docker/${app}.Dockerfile`)).stages.at(-1)?.instructions ?? [];
      const user = runtime.filter((instruction) => instruction.keyword === 'USER').at(-1)?.args;
      const pod = deployment.spec?.template.spec;
      expect({ app, port: pod?.containers[0]?.ports?.[0]?.containerPort, user: `${pod?.securityContext?.runAsUser}:${pod?.securityContext?.runAsGroup}` }).toEqual({ app, port: PORTS[app], user });
    }
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, local data and git history out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '.data', '.git', 'coverage']));
    expect(ignored).not.toEqual(expect.arrayContaining(['package-lock.json']));
  });
});
