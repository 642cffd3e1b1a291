import { compliantDeployment } from './fixtures/compliant-deployment';
import { serviceDeploymentViolations } from './service-deployment-violations';

type Deployment = ReturnType<typeof compliantDeployment>;

function changed(change: (deployment: Deployment, container: Record<string, unknown>) => void): Deployment {
  const deployment = compliantDeployment();
  const container = deployment.spec.template.spec.containers[0];
  if (!container) throw new Error('the fixture has a container');
  change(deployment, container);
  return deployment;
}

describe('serviceDeploymentViolations', () => {
  it('finds nothing wrong with a service Deployment that follows the contract', () => {
    expect(serviceDeploymentViolations(compliantDeployment())).toEqual([]);
  });

  it('requires the probes on /livez and /readyz through the http port', () => {
    const swapped = changed((_, c) => {
      c['livenessProbe'] = { httpGet: { path: '/readyz', port: 'http' } };
      c['readinessProbe'] = { httpGet: { path: '/readyz', port: 8090 } };
    });
    expect(serviceDeploymentViolations(swapped)).toEqual([
      expect.stringMatching(/livenessProbe does not GET \/livez/),
      expect.stringMatching(/readinessProbe does not use the named port http/),
    ]);
  });

  it('requires PORT to match the http port and INSTANCE_ID from the pod name', () => {
    const wrong = changed((_, c) => (c['env'] = [{ name: 'PORT', value: '9999' }, { name: 'INSTANCE_ID', value: 'fixed' }]));
    expect(serviceDeploymentViolations(wrong)).toEqual([expect.stringMatching(/PORT to its http port 8090/), expect.stringMatching(/INSTANCE_ID from metadata.name/)]);
  });

  it('requires a grace period covering the preStop pause and the 10 s shutdown', () => {
    const short = changed((d) => (d.spec.template.spec['terminationGracePeriodSeconds'] = 12));
    expect(serviceDeploymentViolations(short)).toEqual([expect.stringMatching(/terminationGracePeriodSeconds 12 is below preStop 5 s \+ shutdown 10 s/)]);
    const execSleep = changed((_, c) => (c['lifecycle'] = { preStop: { exec: { command: ['/bin/sleep', '5'] } } }));
    expect(serviceDeploymentViolations(execSleep)).toEqual([]);
    expect(serviceDeploymentViolations(changed((_, c) => delete c['lifecycle']))).toEqual([expect.stringMatching(/no preStop pause/)]);
  });

  it('requires scrape annotations and anti-affinity across nodes', () => {
    const bare = changed((d) => {
      d.spec.template.metadata.annotations = {};
      delete d.spec.template.spec['affinity'];
    });
    expect(serviceDeploymentViolations(bare)).toEqual([expect.stringMatching(/prometheus.io/), expect.stringMatching(/anti-affinity/)]);
  });
});
