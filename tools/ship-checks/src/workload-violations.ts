import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import { imageReferenceViolation } from './image-reference';
import { describeObject, type KubeObject } from './kube-object';

/** The pod template of a Deployment, StatefulSet, DaemonSet or Job, or undefined for other kinds. */
export function podSpecOf(workload: KubeObject): IPodSpec | undefined {
  const spec = workload['spec'] as { template?: { spec?: IPodSpec } } | undefined;
  return spec?.template?.spec;
}

function containerViolations(pod: IPodSpec, container: IContainer, probed: boolean): string[] {
  const violations: string[] = [];
  const security = container.securityContext;
  const image = container.image ? imageReferenceViolation(container.image) : 'has no image';
  if (image) violations.push(image);

  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  if (requests['cpu'] === undefined || requests['memory'] === undefined) violations.push('has no cpu and memory requests');
  if (limits['memory'] === undefined) violations.push('has no memory limit');

  if ((security?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) violations.push('does not set runAsNonRoot: true');
  if (security?.runAsUser === 0 || (security?.runAsUser === undefined && pod.securityContext?.runAsUser === 0)) violations.push('runs as uid 0');
  if (security?.allowPrivilegeEscalation !== false) violations.push('does not set allowPrivilegeEscalation: false');
  if (security?.privileged === true) violations.push('is privileged');
  if (security?.readOnlyRootFilesystem !== true) violations.push('does not set readOnlyRootFilesystem: true');
  if (!security?.capabilities?.drop?.includes('ALL')) violations.push('does not drop ALL capabilities');
  const seccomp = security?.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type;
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') violations.push('has no RuntimeDefault seccomp profile');

  if (security?.readOnlyRootFilesystem === true) {
    const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    const volume = tmp && pod.volumes?.find((candidate) => candidate.name === tmp.name);
    if (!volume?.emptyDir) violations.push('has a read-only root filesystem but no emptyDir mounted on /tmp');
  }
  if (probed) {
    if (!container.startupProbe) violations.push('has no startupProbe');
    if (!container.livenessProbe) violations.push('has no livenessProbe');
    if (!container.readinessProbe) violations.push('has no readinessProbe');
  }
  return violations.map((violation) => `container ${container.name} ${violation}`);
}

/**
 * What a workload (Deployment, StatefulSet, ...) breaks of the rules every pod here follows
 * (empty when none): images pinned (a tag other than `latest`, or a digest); cpu and memory
 * requests and a memory limit; non-root, no privilege escalation, not privileged, read-only root
 * filesystem with an emptyDir on /tmp, ALL capabilities dropped, a RuntimeDefault seccomp profile;
 * startup, liveness and readiness probes on every container (not init containers); no service
 * account token mounted. Each message starts with `Kind/name`.
 */
export function workloadViolations(workload: KubeObject): string[] {
  const pod = podSpecOf(workload);
  if (!pod) return [`${describeObject(workload)} has no pod template`];
  const violations: string[] = [];
  if (pod.containers.length === 0) violations.push('has no containers');
  for (const container of pod.containers) violations.push(...containerViolations(pod, container, true));
  for (const container of pod.initContainers ?? []) violations.push(...containerViolations(pod, container, false));
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) violations.push('shares a host namespace');
  if (pod.automountServiceAccountToken !== false) violations.push('mounts a service account token (set automountServiceAccountToken: false)');
  return violations.map((violation) => `${describeObject(workload)} ${violation}`);
}
