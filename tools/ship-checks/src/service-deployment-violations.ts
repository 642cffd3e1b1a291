import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { describeObject, type KubeObject } from './kube-object';
import { podSpecOf, workloadViolations } from './workload-violations';

/** How long a service may take to shut down after SIGTERM (DESIGN.md: "exit within 10 s"). */
export const SERVICE_SHUTDOWN_SECONDS = 10;

function httpProbeViolation(name: string, probe: IProbe | undefined, path: string): string | undefined {
  if (!probe) return `has no ${name}`;
  if (probe.httpGet?.path !== path) return `${name} does not GET ${path}`;
  if (probe.httpGet.port !== 'http') return `${name} does not use the named port http`;
  return undefined;
}

/** Seconds of the container's preStop pause: the `sleep` action, or an exec of `sleep N`. */
function preStopSeconds(container: IContainer): number | undefined {
  const preStop = container.lifecycle?.preStop;
  if (preStop?.sleep) return preStop.sleep.seconds;
  const command = preStop?.exec?.command ?? [];
  const index = command.findIndex((part) => /(^|\/)sleep$/.test(part));
  const seconds = index === -1 ? NaN : Number(command[index + 1]);
  return Number.isFinite(seconds) ? seconds : undefined;
}

function podViolations(pod: IPodSpec, container: IContainer, appName: string | undefined, annotations: Readonly<Record<string, string>>): string[] {
  const violations: string[] = [];
  const port = container.ports?.find((candidate) => candidate.name === 'http');
  if (!port) violations.push('has no container port named http');
  for (const problem of [
    httpProbeViolation('startupProbe', container.startupProbe, '/livez'),
    httpProbeViolation('livenessProbe', container.livenessProbe, '/livez'),
    httpProbeViolation('readinessProbe', container.readinessProbe, '/readyz'),
  ]) {
    if (problem) violations.push(problem);
  }

  const env = container.env ?? [];
  const portVariable = env.find((variable) => variable.name === 'PORT');
  if (port && portVariable?.value !== String(port.containerPort)) violations.push(`does not set PORT to its http port ${port.containerPort}`);
  if (env.find((variable) => variable.name === 'INSTANCE_ID')?.valueFrom?.fieldRef?.fieldPath !== 'metadata.name') {
    violations.push('does not take INSTANCE_ID from metadata.name');
  }

  const pause = preStopSeconds(container);
  if (pause === undefined) violations.push('has no preStop pause for endpoint removal');
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  if (grace < (pause ?? 0) + SERVICE_SHUTDOWN_SECONDS) {
    violations.push(`terminationGracePeriodSeconds ${grace} is below preStop ${pause ?? 0} s + shutdown ${SERVICE_SHUTDOWN_SECONDS} s`);
  }

  if (annotations['prometheus.io/scrape'] !== 'true' || annotations['prometheus.io/path'] !== '/metrics' || annotations['prometheus.io/port'] !== String(port?.containerPort)) {
    violations.push('pod lacks prometheus.io/scrape, /path (/metrics) and /port annotations');
  }
  const spread = pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const byHost = spread.some(
    (term) => term.podAffinityTerm.topologyKey === 'kubernetes.io/hostname' && term.podAffinityTerm.labelSelector?.matchLabels?.['app.kubernetes.io/name'] === appName,
  );
  if (!byHost) violations.push('has no preferred pod anti-affinity by kubernetes.io/hostname on its own pods');
  return violations.map((violation) => `container ${container.name} ${violation}`);
}

/**
 * What a Rebal service Deployment breaks (empty when none): everything {@link workloadViolations}
 * checks, plus the service contract: a port named `http`; startup and liveness probes GET /livez,
 * readiness GET /readyz on it; PORT set to it; INSTANCE_ID from the pod name; a preStop pause and a
 * termination grace period covering it plus the 10 s shutdown; Prometheus scrape annotations;
 * preferred anti-affinity across nodes.
 */
export function serviceDeploymentViolations(deployment: KubeObject): string[] {
  const violations = workloadViolations(deployment);
  const pod = podSpecOf(deployment);
  if (deployment.kind !== 'Deployment') violations.push(`${describeObject(deployment)} is not a Deployment`);
  if (!pod) return violations;
  const template = (deployment['spec'] as { template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } } }).template;
  const appName = template.metadata?.labels?.['app.kubernetes.io/name'];
  for (const container of pod.containers) {
    violations.push(...podViolations(pod, container, appName, template.metadata?.annotations ?? {}).map((violation) => `${describeObject(deployment)} ${violation}`));
  }
  return violations;
}
