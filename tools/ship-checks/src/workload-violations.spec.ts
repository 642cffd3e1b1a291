import { compliantDeployment } from './fixtures/compliant-deployment';
import { workloadViolations } from './workload-violations';

type Deployment = ReturnType<typeof compliantDeployment>;

/** The compliant Deployment with its first container changed by `change`. */
function withContainer(change: (container: Record<string, unknown>) => void): Deployment {
  const deployment = compliantDeployment();
  const container = deployment.spec.template.spec.containers[0];
  if (!container) throw new Error('the fixture has a container');
  change(container);
  return deployment;
}

describe('workloadViolations', () => {
  it('finds nothing wrong with a workload that follows every rule', () => {
    expect(workloadViolations(compliantDeployment())).toEqual([]);
  });

  it('reports an unpinned image', () => {
    expect(workloadViolations(withContainer((c) => (c['image'] = 'rebal/demo:latest')))).toEqual([expect.stringMatching(/^Deployment\/demo container demo image .* latest/)]);
    expect(workloadViolations(withContainer((c) => (c['image'] = 'rebal/demo')))).toEqual([expect.stringMatching(/no tag/)]);
  });

  it('reports missing requests and memory limit', () => {
    expect(workloadViolations(withContainer((c) => delete c['resources']))).toEqual([
      expect.stringMatching(/no cpu and memory requests/),
      expect.stringMatching(/no memory limit/),
    ]);
  });

  it('reports each missing hardening setting', () => {
    const violations = workloadViolations(withContainer((c) => (c['securityContext'] = { privileged: true })));
    expect(violations).toEqual([
      expect.stringMatching(/allowPrivilegeEscalation: false/),
      expect.stringMatching(/is privileged/),
      expect.stringMatching(/readOnlyRootFilesystem: true/),
      expect.stringMatching(/drop ALL capabilities/),
    ]);
    const rootPod = compliantDeployment();
    rootPod.spec.template.spec['securityContext'] = { runAsUser: 0 };
    expect(workloadViolations(rootPod)).toEqual([expect.stringMatching(/runAsNonRoot/), expect.stringMatching(/uid 0/), expect.stringMatching(/seccomp/)]);
  });

  it('requires a writable emptyDir on /tmp when the root filesystem is read-only', () => {
    expect(workloadViolations(withContainer((c) => (c['volumeMounts'] = [])))).toEqual([expect.stringMatching(/no emptyDir mounted on \/tmp/)]);
  });

  it('requires startup, liveness and readiness probes', () => {
    const violations = workloadViolations(
      withContainer((c) => {
        delete c['startupProbe'];
        delete c['livenessProbe'];
        delete c['readinessProbe'];
      }),
    );
    expect(violations).toEqual([expect.stringMatching(/no startupProbe/), expect.stringMatching(/no livenessProbe/), expect.stringMatching(/no readinessProbe/)]);
  });

  it('reports a mounted service account token', () => {
    const deployment = compliantDeployment();
    delete deployment.spec.template.spec['automountServiceAccountToken'];
    expect(workloadViolations(deployment)).toEqual([expect.stringMatching(/service account token/)]);
  });
});
