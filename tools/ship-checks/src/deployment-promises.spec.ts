// Issue 11, items 30 to 35: what the rendered manifests promise about the deployed system. The
// dashboard reaches the alert API and /ws from its origin, only what users need is public, a
// Redis outage does not take the gateway out of the Service, memory and rollouts are sized as
// docs/operations.md says. tools/ship-checks/src/deployed-dashboard.int-spec.ts runs the built
// services with these settings.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseEnvTable } from '@rebal/service-kit';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { redisServerFlags } from './compose-violations';
import { parseImageReference } from './image-reference';
import { ingressBackendFor } from './ingress-route';
import type { KubeObject } from './kube-object';
import { kustomizeBuild } from './kustomize-build';
import { labelSelectorMatches } from './label-selector-matches';
import { named, objectsOf, ofKind, podLabels, type Overlay } from './manifest-objects';
import { kubeQuantityBytes, redisMemoryBytes } from './memory-bytes';
import { REPO_ROOT } from './repo-root';
import { validateKubeObject } from './validate-kube-object';

const MIB = 2 ** 20;
const GATEWAY = { name: 'streaming-gateway', port: { name: 'http' } };
const ALERT_API = { name: 'alert-service', port: { name: 'http' } };
/**
 * Where the Ingress sends each path (undefined: nowhere, the controller's 404): the dashboard's
 * files, its configuration and /ws to the gateway, the alert API to the alert service, and none of
 * the operational endpoints.
 */
const INGRESS_ROUTES: ReadonlyArray<readonly [string, typeof GATEWAY | undefined]> = [
  ['/', GATEWAY],
  ['/index.html', GATEWAY],
  ['/main.js', GATEWAY],
  ['/main.js.map', GATEWAY],
  ['/styles.css', GATEWAY],
  ['/dashboard-config.json', GATEWAY],
  ['/ws', GATEWAY],
  ['/api/v1/alerts', ALERT_API],
  ['/api/v1/openapi.json', ALERT_API],
  ['/metrics', undefined],
  ['/readyz', undefined],
  ['/livez', undefined],
  ['/ws/metrics', undefined],
  ['/index.html/metrics', undefined],
];
/** The peers allowed to send HTTP to the services, as k8s/README.md "Network" names them. */
const INGRESS_CONTROLLER: INetworkPolicyPeer = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } };
const PROMETHEUS: INetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
};
const HTTP_FROM: Readonly<Record<string, readonly INetworkPolicyPeer[]>> = {
  'streaming-gateway': [INGRESS_CONTROLLER, PROMETHEUS],
  'alert-service': [INGRESS_CONTROLLER, PROMETHEUS],
  'health-monitor': [PROMETHEUS],
  'market-simulator': [PROMETHEUS],
};
/** Resident memory of an idle replica, measured (issue 11 item 34: the gateway idles at about 109 MiB). */
const IDLE_RSS_BYTES: Readonly<Record<string, number>> = { 'streaming-gateway': 109 * MIB };
/** Read by Node itself, not by a service's parser. */
const NODE_VARIABLES = new Set(['NODE_OPTIONS']);

/** The container of a Deployment that runs its app (named like it). */
function appContainer(deployment: IDeployment & KubeObject): IContainer {
  const container = deployment.spec?.template.spec?.containers.find((candidate) => candidate.name === deployment.metadata.name);
  if (!container) throw new Error(`Deployment/${deployment.metadata.name} has no container named like it`);
  return container;
}

/** The literal `value`s of a container's `env`. */
function literalEnv(container: IContainer): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((variable) => variable.value !== undefined).map((variable) => [variable.name, variable.value ?? '']));
}

function commaList(text: string | undefined): string[] {
  return (text ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** A stable text form of a value (object keys sorted at every level), for comparing sets of them. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
}
const peerKey = (peer: INetworkPolicyPeer): string => canonical(peer);

describe.each<Overlay>(['base', 'dev', 'prod'])('the %s kustomization', (overlay) => {
  const objects = () => objectsOf(overlay);
  const deployments = () => ofKind<IDeployment>(objects(), 'Deployment');
  const deployment = (name: string) => named<IDeployment>(objects(), 'Deployment', name);
  const ingress = () => named<IIngress>(objects(), 'Ingress', 'streaming-gateway');

  it('issue 11 item 30: sets only variables its services read (the README table, which each service checks against its parser)', () => {
    const rows = parseEnvTable(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
    const config = ofKind<IConfigMap>(objects(), 'ConfigMap').find((candidate) => candidate.metadata.name.startsWith('rebal-config'));
    const unread = deployments().flatMap((workload) => {
      const app = workload.metadata.name;
      const read = new Set(rows.filter((row) => row.services.includes(app) || row.services.includes('all')).map((row) => row.name));
      const container = appContainer(workload);
      const fromConfigMap = container.envFrom?.some((source) => source.configMapRef?.name === config?.metadata.name) ? Object.keys(config?.data ?? {}) : [];
      const set = [...(container.env ?? []).map((variable) => variable.name), ...fromConfigMap];
      return set.filter((name) => !read.has(name) && !NODE_VARIABLES.has(name)).map((name) => `${app} ${name}`);
    });
    expect(unread).toEqual([]);
  });

  it("issue 11 item 30: gives the alert service the gateway's CORS_ORIGINS, so the dashboard's origins may call the API", () => {
    const gatewayOrigins = commaList(literalEnv(appContainer(deployment('streaming-gateway')))['CORS_ORIGINS']);
    const apiOrigins = commaList(literalEnv(appContainer(deployment('alert-service')))['CORS_ORIGINS']);
    expect(gatewayOrigins.length).toBeGreaterThan(0);
    expect(gatewayOrigins.filter((origin) => !apiOrigins.includes(origin))).toEqual([]);
  });

  it('issue 11 item 30: points the dashboard (ALERT_API_URL) at an alert API its browser reaches: a path the Ingress routes to the alert service, or an address outside the cluster', () => {
    const url = literalEnv(appContainer(deployment('streaming-gateway')))['ALERT_API_URL'] ?? '';
    expect(url).toMatch(/\/api\/v1$/);
    if (url.startsWith('/')) {
      expect(ingressBackendFor(ingress(), `${url}/alerts`)).toEqual(ALERT_API);
    } else {
      const { protocol, hostname } = new URL(url);
      const services = ofKind<IService>(objects(), 'Service').map((service) => service.metadata.name);
      expect({ protocol: ['http:', 'https:'].includes(protocol), inCluster: services.includes(hostname.split('.')[0] ?? '') || /\.svc(\.|$)/.test(hostname) }).toEqual({ protocol: true, inCluster: false });
    }
  });

  it('issue 11 item 31: routes through the Ingress only /ws, the dashboard and /api/v1, never /metrics, /readyz or /livez', () => {
    const routed = INGRESS_ROUTES.map(([path]) => [path, ingressBackendFor(ingress(), path)] as const);
    expect(routed).toEqual(INGRESS_ROUTES);
    const paths = ingress().spec?.rules?.flatMap((rule) => rule.http?.paths ?? []) ?? [];
    // Every Prefix path is one of the API's: the gateway is reached only at exact paths.
    expect(paths.filter((path) => path.pathType !== 'Exact').map((path) => [path.path, path.backend.service?.name])).toEqual([['/api/v1', 'alert-service']]);
  });

  it('issue 11 item 31: admits HTTP only from the ingress controller (gateway, alert service) and Prometheus (every service), and sends none to another service', () => {
    const policies = ofKind<INetworkPolicy>(objects(), 'NetworkPolicy');
    for (const workload of deployments()) {
      const app = workload.metadata.name;
      const selecting = policies.filter((policy) => labelSelectorMatches(policy.spec?.podSelector, podLabels(workload)));
      const ingressPolicies = selecting.filter((policy) => policy.spec?.policyTypes?.includes('Ingress'));
      const rules = ingressPolicies.flatMap((policy) => policy.spec?.ingress ?? []);
      const peers = rules.flatMap((rule) => rule.from ?? []).map(peerKey).sort();
      expect({
        app,
        isolated: ingressPolicies.length > 0,
        rulesWithoutFrom: rules.filter((rule) => !rule.from?.length).length,
        ports: [...new Set(rules.flatMap((rule) => (rule.ports ?? [{}]).map((port) => `${port.port ?? 'any'}/${port.protocol ?? 'TCP'}`)))],
        peers,
      }).toEqual({ app, isolated: true, rulesWithoutFrom: 0, ports: ['http/TCP'], peers: (HTTP_FROM[app] ?? []).map(peerKey).sort() });
      const toServices = selecting
        .flatMap((policy) => policy.spec?.egress ?? [])
        .flatMap((rule) => rule.to ?? [])
        .filter((peer) => deployments().some((other) => labelSelectorMatches(peer.podSelector, podLabels(other))));
      expect({ app, toServices }).toEqual({ app, toServices: [] });
    }
  });

  it('issue 11 item 32: lets a drain evict pods that are not ready (unhealthyPodEvictionPolicy: AlwaysAllow)', () => {
    const budgets = ofKind<IPodDisruptionBudget>(objects(), 'PodDisruptionBudget');
    expect(budgets.length).toBeGreaterThan(0);
    expect(budgets.map((budget) => [budget.metadata.name, budget.spec?.unhealthyPodEvictionPolicy])).toEqual(budgets.map((budget) => [budget.metadata.name, 'AlwaysAllow']));
  });

  it('issue 11 item 34: caps each Node heap (NODE_OPTIONS --max-old-space-size) at 50 to 65 % of its memory limit', () => {
    const caps = deployments().map((workload) => {
      const container = appContainer(workload);
      const heapMib = Number(/--max-old-space-size=(\d+)\b/.exec(literalEnv(container)['NODE_OPTIONS'] ?? '')?.[1] ?? NaN);
      const limitMib = kubeQuantityBytes(container.resources?.limits?.['memory'] ?? '0') / MIB;
      const share = heapMib / limitMib;
      return { app: workload.metadata.name, heapMib, limitMib, fits: share >= 0.5 && share <= 0.65 };
    });
    expect(caps).toEqual(caps.map((cap) => ({ ...cap, fits: true })));
  });

  it("issue 11 item 34: requests enough memory that an idle replica stays 20 % below its HPA's memory target", () => {
    const targets = ofKind<IHorizontalPodAutoscaler>(objects(), 'HorizontalPodAutoscaler').flatMap((hpa) => {
      const utilization = hpa.spec?.metrics?.find((metric) => metric.type === 'Resource' && metric.resource?.name === 'memory')?.resource?.target.averageUtilization;
      if (utilization === undefined) return [];
      const app = hpa.spec?.scaleTargetRef.name ?? '';
      const targetBytes = (kubeQuantityBytes(appContainer(deployment(app)).resources?.requests?.['memory'] ?? '0') * utilization) / 100;
      return [{ app, targetMib: Math.round(targetBytes / MIB), aboveIdle: targetBytes >= 1.2 * (IDLE_RSS_BYTES[app] ?? Infinity) }];
    });
    expect(targets.map((target) => target.app)).toEqual(['streaming-gateway']);
    expect(targets).toEqual(targets.map((target) => ({ ...target, aboveIdle: true })));
  });

  it("issue 11 item 35: labels every pod with its own image's tag as app.kubernetes.io/version, which SERVICE_VERSION reads", () => {
    const versions = deployments().map((workload) => {
      const container = appContainer(workload);
      const fieldPath = container.env?.find((variable) => variable.name === 'SERVICE_VERSION')?.valueFrom?.fieldRef?.fieldPath;
      return { app: workload.metadata.name, label: podLabels(workload)['app.kubernetes.io/version'], fieldPath };
    });
    const tags = deployments().map((workload) => ({
      app: workload.metadata.name,
      label: parseImageReference(appContainer(workload).image ?? '').tag,
      fieldPath: "metadata.labels['app.kubernetes.io/version']",
    }));
    expect(versions).toEqual(tags);
  });

  it('issue 11 item 35: counts a new pod available only once it stayed ready for a whole readiness failure window (minReadySeconds)', () => {
    const windows = deployments().map((workload) => {
      const probe = appContainer(workload).readinessProbe;
      const window = (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3);
      return { app: workload.metadata.name, long: (workload.spec?.minReadySeconds ?? 0) >= window };
    });
    expect(windows).toEqual(windows.map((entry) => ({ ...entry, long: true })));
  });

  it('issue 11 item 35: holds no Prometheus Operator object, so it applies to a cluster without those CRDs', () => {
    expect(objects().filter((object) => object.apiVersion.startsWith('monitoring.coreos.com/')).map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([]);
  });
});

describe('the prod overlay with the monitoring component (k8s/monitoring)', () => {
  let directory: string | undefined;
  let built: KubeObject[] = [];

  beforeAll(() => {
    // An operator's overlay on top of prod: its namespace, plus `components: [k8s/monitoring]`.
    directory = mkdtempSync(join(tmpdir(), 'ship-checks-monitoring-'));
    const path = (target: string) => relative(directory ?? '', join(REPO_ROOT, target));
    writeFileSync(join(directory, 'kustomization.yaml'), `namespace: rebal\nresources:\n  - ${path('k8s/overlays/prod')}\ncomponents:\n  - ${path('k8s/monitoring')}\n`);
    built = kustomizeBuild(directory);
  });

  afterAll(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('issue 11 item 35: adds the ServiceMonitor, the PrometheusRule and the Grafana dashboard, valid and in the overlay\'s namespace', () => {
    const added = built.filter((object) => object.apiVersion.startsWith('monitoring.coreos.com/') || object.metadata.name === 'rebal-grafana-dashboard');
    expect(added.map((object) => `${object.kind}/${object.metadata.name}/${object.metadata.namespace}`).sort()).toEqual([
      'ConfigMap/rebal-grafana-dashboard/rebal',
      'PrometheusRule/rebal-realtime/rebal',
      'ServiceMonitor/rebal-realtime/rebal',
    ]);
    for (const object of added) expect(() => validateKubeObject(object)).not.toThrow();
  });

  it('scrapes /metrics on the http port of the three Services with a ServiceMonitor', () => {
    const monitor = named<IServiceMonitor>(built, 'ServiceMonitor', 'rebal-realtime');
    expect(monitor.spec.endpoints?.map((endpoint) => [endpoint.port, endpoint.path])).toEqual([['http', '/metrics']]);
    const scraped = ofKind<IService>(built, 'Service').filter((service) => labelSelectorMatches(monitor.spec.selector, service.metadata.labels));
    expect(scraped.map((service) => service.metadata.name).sort()).toEqual(['alert-service', 'health-monitor', 'streaming-gateway']);
  });
});

const deployments = (overlay: Overlay) => ofKind<IDeployment>(objectsOf(overlay), 'Deployment');

describe('single promises of the deployment', () => {
  it('issue 11 item 33: k8s/README.md says, where webhook targets are configured, that their egress is TCP 443 only, as the NetworkPolicies allow', () => {
    const readme = readFileSync(join(REPO_ROOT, 'k8s/README.md'), 'utf8');
    const row = readme.split('\n').find((line) => line.startsWith('| `rebal-alert-webhooks`')) ?? '';
    expect(row).toMatch(/\b443\b/);
    expect(row).toMatch(/rebal-https-egress/);
    const alertService = named<IDeployment>(objectsOf('prod'), 'Deployment', 'alert-service');
    const egressPorts = ofKind<INetworkPolicy>(objectsOf('prod'), 'NetworkPolicy')
      .filter((policy) => labelSelectorMatches(policy.spec?.podSelector, podLabels(alertService)))
      .flatMap((policy) => policy.spec?.egress ?? [])
      .flatMap((rule) => rule.ports ?? [])
      .map((port) => port.port)
      .filter((port) => ![53, 6379, 26379].includes(Number(port)));
    expect(egressPorts).toEqual([443]);
  });

  it('issue 11 review: every Secret key k8s/README.md lists is read by each Deployment that takes that Secret', () => {
    const rows = parseEnvTable(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8'));
    const readme = readFileSync(join(REPO_ROOT, 'k8s/README.md'), 'utf8');
    // `| \`secret\` | used by | keys | ... |`, continuation rows (`| | | keys | ... |`) belonging to the row above.
    const documented = new Map<string, string[]>();
    let secret = '';
    for (const line of readme.split('\n').filter((text) => text.startsWith('|'))) {
      const [name = '', , keys = ''] = line.split('|').slice(1).map((cell) => cell.trim());
      if (name.startsWith('`')) secret = name.replace(/`/g, '');
      else if (name !== '') continue;
      documented.set(secret, [...(documented.get(secret) ?? []), ...[...keys.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] ?? '')]);
    }
    const unread = deployments('prod').flatMap((workload) => {
      const app = workload.metadata.name;
      const read = new Set(rows.filter((row) => row.services.includes(app) || row.services.includes('all')).map((row) => row.name));
      const secrets = (appContainer(workload).envFrom ?? []).map((source) => source.secretRef?.name ?? '').filter(Boolean);
      return secrets.flatMap((name) => (documented.get(name) ?? []).filter((key) => !read.has(key)).map((key) => `${app} ${name} ${key}`));
    });
    expect(documented.get('rebal-auth')?.length).toBeGreaterThan(0);
    expect(unread).toEqual([]);
  });

  it('issue 11 item 34: gives the dev Redis 1.5 × maxmemory as its memory limit and keeps its password off the command line', () => {
    const redis = named<IStatefulSet>(objectsOf('dev'), 'StatefulSet', 'redis');
    const pod = redis.spec?.template.spec;
    const container = pod?.containers[0];
    const argv = [...(container?.command ?? []), ...(container?.args ?? [])];
    const flags = redisServerFlags(argv);
    const limit = kubeQuantityBytes(container?.resources?.limits?.['memory'] ?? '0');
    expect(limit).toBeGreaterThanOrEqual(1.5 * redisMemoryBytes(flags.get('maxmemory') ?? 'none'));
    expect({ requirepass: flags.has('requirepass'), expanded: argv.filter((word) => word.includes('$(')) }).toEqual({ requirepass: false, expanded: [] });
    // The password comes from an ACL file mounted from a Secret, which is where the clients' URL points.
    const aclFile = flags.get('aclfile') ?? '';
    const mount = container?.volumeMounts?.find((candidate) => aclFile.startsWith(`${candidate.mountPath}/`));
    const volume = pod?.volumes?.find((candidate) => candidate.name === mount?.name);
    const secret = named<ISecret>(objectsOf('dev'), 'Secret', volume?.secret?.secretName ?? '');
    const acl = secret.stringData?.[aclFile.slice((mount?.mountPath.length ?? 0) + 1)] ?? '';
    const clientUrl = new URL(named<ISecret>(objectsOf('dev'), 'Secret', 'rebal-redis').stringData?.['REDIS_URL'] ?? '');
    expect(acl).toMatch(new RegExp(`^user ${clientUrl.username || 'default'} on .*>${decodeURIComponent(clientUrl.password)}(\\s|$)`, 'm'));
  });
});
