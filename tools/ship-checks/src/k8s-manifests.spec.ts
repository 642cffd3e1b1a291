// The shipped Kubernetes manifests: every kustomization builds with `kubectl kustomize`, every
// object validates against its schema, and the objects together do what k8s/README.md promises.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REDIS_CONFIG_VARIABLES } from '@rebal/redis-client';
import { serviceEnv } from '@rebal/service-kit';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { imageReferenceViolation } from './image-reference';
import { labelSelectorMatches } from './label-selector-matches';
import { named, objectsOf, ofKind, podLabels, type Overlay } from './manifest-objects';
import { redisServerFlags } from './compose-violations';
import { REPO_ROOT } from './repo-root';
import { serviceDeploymentViolations } from './service-deployment-violations';
import { validateKubeObject } from './validate-kube-object';
import { podSpecOf, workloadViolations } from './workload-violations';

const SERVICES = ['alert-service', 'health-monitor', 'streaming-gateway'] as const;
const AUTOSCALED = ['alert-service', 'streaming-gateway'] as const;
/** Secrets the operator creates in production (documented in k8s/README.md), never in git. */
const OPERATOR_SECRETS = ['rebal-auth', 'rebal-redis'];
const REDIS_VARIABLES = new Set(REDIS_CONFIG_VARIABLES.map((variable) => variable.name));

function allowsTcpPort(ports: { port?: number | string; protocol?: string }[] | undefined, port: number): boolean {
  return ports === undefined || ports.some((candidate) => candidate.port === port && (candidate.protocol ?? 'TCP') === 'TCP');
}

/** Names of the ConfigMaps and Secrets a pod needs (optional references left out). */
function requiredReferences(pod: IPodSpec): { configMaps: string[]; secrets: string[] } {
  const configMaps: string[] = [];
  const secrets: string[] = [];
  for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef && !source.configMapRef.optional) configMaps.push(source.configMapRef.name ?? '');
      if (source.secretRef && !source.secretRef.optional) secrets.push(source.secretRef.name ?? '');
    }
    for (const variable of container.env ?? []) {
      const { configMapKeyRef, secretKeyRef } = variable.valueFrom ?? {};
      if (configMapKeyRef && !configMapKeyRef.optional) configMaps.push(configMapKeyRef.name ?? '');
      if (secretKeyRef && !secretKeyRef.optional) secrets.push(secretKeyRef.name ?? '');
    }
  }
  for (const volume of pod.volumes ?? []) {
    if (volume.configMap && !volume.configMap.optional) configMaps.push(volume.configMap.name ?? '');
    if (volume.secret && !volume.secret.optional) secrets.push(volume.secret.secretName ?? '');
  }
  return { configMaps, secrets };
}

describe.each<Overlay>(['base', 'dev', 'prod'])('the %s kustomization', (overlay) => {
  const objects = () => objectsOf(overlay);
  const deployments = () => ofKind<IDeployment>(objects(), 'Deployment');
  const expectedDeployments = overlay === 'dev' ? [...SERVICES, 'market-simulator'] : [...SERVICES];

  it('builds with kubectl kustomize', () => {
    expect(objects().length).toBeGreaterThan(10);
  });

  it('validates object by object against the Kubernetes and Prometheus Operator schemas', () => {
    const problems = objects().flatMap((object) => {
      try {
        validateKubeObject(object);
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    });
    expect(problems).toEqual([]);
  });

  it(`runs exactly ${expectedDeployments.join(', ')}`, () => {
    expect(deployments().map((deployment) => deployment.metadata.name).sort()).toEqual([...expectedDeployments].sort());
  });

  it('gives every Deployment probes on /livez and /readyz, resources, a non-root read-only hardened pod and a graceful stop', () => {
    expect(deployments().flatMap((deployment) => serviceDeploymentViolations(deployment))).toEqual([]);
  });

  it('pins every image to a tag other than latest', () => {
    const images = [...deployments(), ...ofKind<IStatefulSet>(objects(), 'StatefulSet')].flatMap((workload) => podSpecOf(workload)?.containers.map((c) => c.image ?? '') ?? []);
    expect(images.length).toBeGreaterThan(0);
    expect(images.map((image) => imageReferenceViolation(image)).filter(Boolean)).toEqual([]);
  });

  it('gives every Deployment a PodDisruptionBudget that selects its pods and allows a drain', () => {
    const budgets = ofKind<IPodDisruptionBudget>(objects(), 'PodDisruptionBudget');
    for (const deployment of deployments()) {
      const budget = budgets.find((candidate) => labelSelectorMatches(candidate.spec?.selector, podLabels(deployment)));
      expect({ deployment: deployment.metadata.name, budget: budget?.metadata.name, maxUnavailable: budget?.spec?.maxUnavailable }).toEqual({
        deployment: deployment.metadata.name,
        budget: expect.any(String),
        maxUnavailable: 1,
      });
    }
  });

  it('scales the gateway and the alert service with autoscaling/v2 HPAs that own their replica counts', () => {
    const autoscalers = ofKind<IHorizontalPodAutoscaler>(objects(), 'HorizontalPodAutoscaler');
    expect(autoscalers.map((hpa) => hpa.spec?.scaleTargetRef.name).sort()).toEqual([...AUTOSCALED]);
    for (const hpa of autoscalers) {
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      const target = named<IDeployment>(objects(), 'Deployment', hpa.spec?.scaleTargetRef.name ?? '');
      expect(target.spec?.replicas).toBeUndefined();
      expect(hpa.spec?.metrics?.some((metric) => metric.resource?.name === 'cpu')).toBe(true);
      const min = hpa.spec?.minReplicas ?? 1;
      expect(min).toBeGreaterThanOrEqual(overlay === 'dev' ? 1 : 2);
      expect(hpa.spec?.maxReplicas).toBeGreaterThan(min);
    }
  });

  it('runs the health monitor as Redis-lease holders: a fixed replica count and no HPA', () => {
    const monitor = named<IDeployment>(objects(), 'Deployment', 'health-monitor');
    expect(monitor.spec?.replicas).toBe(overlay === 'dev' ? 1 : 2);
    expect(ofKind<IHorizontalPodAutoscaler>(objects(), 'HorizontalPodAutoscaler').map((hpa) => hpa.spec?.scaleTargetRef.name)).not.toContain('health-monitor');
  });

  it('exposes each service through a Service whose selector and named target port match its pods', () => {
    for (const name of SERVICES) {
      const service = named<IService>(objects(), 'Service', name);
      const deployment = named<IDeployment>(objects(), 'Deployment', name);
      expect(labelSelectorMatches({ matchLabels: service.spec?.selector }, podLabels(deployment))).toBe(true);
      const containerPorts = deployment.spec?.template.spec?.containers.flatMap((container) => container.ports ?? []) ?? [];
      for (const port of service.spec?.ports ?? []) {
        expect(containerPorts.map((candidate) => candidate.name)).toContain(port.targetPort);
      }
      expect(service.spec?.sessionAffinity ?? 'None').toBe('None');
    }
  });

  it('routes the Ingress to the gateway with one-hour WebSocket timeouts and no sticky sessions', () => {
    const ingress = named<IIngress>(objects(), 'Ingress', 'streaming-gateway');
    const annotations = ingress.metadata.annotations ?? {};
    expect(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout']).toBe('3600');
    expect(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout']).toBe('3600');
    expect(annotations['nginx.ingress.kubernetes.io/affinity']).toBeUndefined();
    // Every path goes to the gateway but the alert API's (deployment-promises.spec.ts checks each path).
    const paths = ingress.spec?.rules?.flatMap((rule) => rule.http?.paths ?? []) ?? [];
    const gatewayBackends = paths.filter((path) => path.path !== '/api/v1').map((path) => path.backend.service);
    expect(gatewayBackends.length).toBeGreaterThan(0);
    expect(gatewayBackends).toEqual(gatewayBackends.map(() => ({ name: 'streaming-gateway', port: { name: 'http' } })));
    if (overlay === 'prod') {
      expect(ingress.spec?.rules?.[0]?.host).toBeTruthy();
      expect(ingress.spec?.tls?.[0]?.hosts).toContain(ingress.spec?.rules?.[0]?.host);
    }
  });

  it('lets every service pod out to Redis on 6379 and to DNS through a NetworkPolicy, and marks it a Redis client', () => {
    const policies = ofKind<INetworkPolicy>(objects(), 'NetworkPolicy');
    for (const deployment of deployments()) {
      const labels = podLabels(deployment);
      expect({ deployment: deployment.metadata.name, redisClient: labels['rebal.io/redis-client'] }).toEqual({ deployment: deployment.metadata.name, redisClient: 'true' });
      const egress = policies
        .filter((policy) => policy.spec?.policyTypes?.includes('Egress') && labelSelectorMatches(policy.spec.podSelector, labels))
        .flatMap((policy) => policy.spec?.egress ?? []);
      expect(egress.some((rule) => !rule.to && allowsTcpPort(rule.ports, 6379))).toBe(true);
      expect(egress.some((rule) => !rule.to && rule.ports?.some((port) => port.port === 53 && port.protocol === 'UDP'))).toBe(true);
    }
  });

  it('resolves every ConfigMap and Secret the pods need, except the Secrets the operator creates', () => {
    const workloads = [...deployments(), ...ofKind<IStatefulSet>(objects(), 'StatefulSet')];
    const references = workloads.map((workload) => requiredReferences(podSpecOf(workload) ?? { containers: [] }));
    const present = (kind: string) => new Set(objects().filter((object) => object.kind === kind).map((object) => object.metadata.name));
    const missingConfigMaps = [...new Set(references.flatMap((reference) => reference.configMaps))].filter((name) => !present('ConfigMap').has(name));
    const missingSecrets = [...new Set(references.flatMap((reference) => reference.secrets))].filter((name) => !present('Secret').has(name)).sort();
    expect(missingConfigMaps).toEqual([]);
    expect(missingSecrets).toEqual(overlay === 'dev' ? [] : OPERATOR_SECRETS);
  });

  it('puts only variables the services read in the shared ConfigMap', () => {
    const config = ofKind<IConfigMap>(objects(), 'ConfigMap').find((candidate) => candidate.metadata.name.startsWith('rebal-config'));
    const known = new Set([...REDIS_VARIABLES, ...Object.keys(serviceEnv(0))]);
    expect(Object.keys(config?.data ?? {}).filter((key) => !known.has(key))).toEqual([]);
  });

});

describe('the dev overlay', () => {
  const objects = () => objectsOf('dev');

  it('runs Redis as a hardened StatefulSet with AOF and noeviction on a PersistentVolumeClaim', () => {
    const redis = named<IStatefulSet>(objects(), 'StatefulSet', 'redis');
    expect(workloadViolations(redis)).toEqual([]);
    const container = redis.spec?.template.spec?.containers[0];
    expect(imageReferenceViolation(container?.image ?? '', { exactVersion: true })).toBeUndefined();
    const flags = redisServerFlags([...(container?.command ?? []), ...(container?.args ?? [])]);
    expect([flags.get('appendonly'), flags.get('appendfsync'), flags.get('maxmemory-policy')]).toEqual(['yes', 'everysec', 'noeviction']);
    const claim = redis.spec?.volumeClaimTemplates?.[0];
    const dataMount = container?.volumeMounts?.find((mount) => mount.name === claim?.metadata?.name);
    expect(dataMount?.mountPath).toBe(flags.get('dir'));
    expect(claim?.spec?.resources?.requests?.['storage']).toBeTruthy();
    const service = named<IService>(objects(), 'Service', redis.spec?.serviceName ?? '');
    expect(service.spec?.clusterIP).toBe('None');
  });

  it('lets only the pods marked as Redis clients reach Redis, on 6379 only', () => {
    const redis = named<IStatefulSet>(objects(), 'StatefulSet', 'redis');
    const policies = ofKind<INetworkPolicy>(objects(), 'NetworkPolicy').filter(
      (policy) => policy.spec?.policyTypes?.includes('Ingress') && labelSelectorMatches(policy.spec.podSelector, podLabels(redis)),
    );
    expect(policies).toHaveLength(1);
    const rules = policies[0]?.spec?.ingress ?? [];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.from).toEqual([{ podSelector: { matchLabels: { 'rebal.io/redis-client': 'true' } } }]);
      expect(rule.ports).toEqual([{ port: 6379, protocol: 'TCP' }]);
    }
    const clients = [...ofKind<IDeployment>(objects(), 'Deployment'), redis].filter((workload) => podLabels(workload)['rebal.io/redis-client'] === 'true');
    expect(clients.map((workload) => workload.metadata.name).sort()).toEqual(['alert-service', 'health-monitor', 'market-simulator', 'streaming-gateway']);
  });

  it('marks its Secrets dev-only and points REDIS_URL at its own Redis with its password', () => {
    const secrets = ofKind<ISecret>(objects(), 'Secret');
    expect(secrets.filter((secret) => secret.metadata.annotations?.['rebal.io/dev-only'] !== 'true')).toEqual([]);
    const clients = named<ISecret>(objects(), 'Secret', 'rebal-redis').stringData ?? {};
    expect(Object.keys(clients).filter((key) => !REDIS_VARIABLES.has(key))).toEqual([]);
    const url = new URL(clients['REDIS_URL'] ?? '');
    const server = named<ISecret>(objects(), 'Secret', 'redis-server').stringData ?? {};
    expect([url.hostname, url.port, decodeURIComponent(url.password)]).toEqual(['redis', '6379', server['REDIS_PASSWORD']]);
    const jwt = named<ISecret>(objects(), 'Secret', 'rebal-auth').stringData?.['AUTH_JWT_SECRET'] ?? '';
    expect(Buffer.byteLength(jwt)).toBeGreaterThanOrEqual(32);
  });
});

describe('the prod overlay', () => {
  /** KEY=value lines of an env file, comments and blank lines skipped. */
  function envKeys(file: string): string[] {
    return readFileSync(join(REPO_ROOT, file), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => line.slice(0, line.indexOf('=')));
  }

  it('documents Secret keys that the services actually read', () => {
    expect(envKeys('k8s/overlays/prod/secrets/rebal-redis.env.example').filter((key) => !REDIS_VARIABLES.has(key))).toEqual([]);
    expect(envKeys('k8s/overlays/prod/secrets/rebal-auth.env.example').filter((key) => !['AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URL'].includes(key))).toEqual([]);
  });

  it('names every operator-created Secret and its keys in k8s/README.md', () => {
    const readme = readFileSync(join(REPO_ROOT, 'k8s/README.md'), 'utf8');
    const keys = [...envKeys('k8s/overlays/prod/secrets/rebal-redis.env.example'), 'REDIS_CLUSTER_NODES', 'AUTH_JWT_SECRET', 'AUTH_JWT_PUBLIC_KEY', 'AUTH_JWKS_URL'];
    expect([...OPERATOR_SECRETS, ...keys].filter((name) => !readme.includes(name))).toEqual([]);
  });

  it('creates no Secret itself: credentials never live in git', () => {
    expect(ofKind<ISecret>(objectsOf('prod'), 'Secret')).toEqual([]);
  });
});
