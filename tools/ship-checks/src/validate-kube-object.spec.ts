import { compliantDeployment } from './fixtures/compliant-deployment';
import type { KubeObject } from './kube-object';
import { SchemaValidationError, validateKubeObject } from './validate-kube-object';

function rejection(object: KubeObject): SchemaValidationError {
  try {
    validateKubeObject(object);
  } catch (error) {
    if (error instanceof SchemaValidationError) return error;
    throw error;
  }
  throw new Error('validateKubeObject accepted the object');
}

describe('validateKubeObject', () => {
  it('accepts a valid Deployment', () => {
    expect(() => validateKubeObject(compliantDeployment())).not.toThrow();
  });

  it('rejects a Deployment whose field has the wrong type, naming the object and the path', () => {
    const deployment = compliantDeployment();
    deployment.spec.template.spec.containers[0] = { ...deployment.spec.template.spec.containers[0], ports: [{ name: 'http', containerPort: '8090' }] };
    const error = rejection(deployment);
    expect(error.code).toBe('ERR_SCHEMA_INVALID');
    expect(error.message).toMatch(/^Deployment\/demo \(apps\/v1\) is invalid: .*\/spec\/template\/spec\/containers\/0\/ports\/0\/containerPort must be integer/);
  });

  it('rejects a Deployment without its required selector', () => {
    const deployment = compliantDeployment();
    const { selector: _selector, ...spec } = deployment.spec;
    expect(rejection({ ...deployment, spec }).message).toMatch(/\/spec must have required property '?selector'?/);
  });

  it('rejects a ServiceMonitor against the Prometheus Operator CRD schema', () => {
    const monitor: KubeObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: 'demo' },
      spec: { selector: {}, endpoints: [{ port: 'http', interval: 'every 15 seconds' }] },
    };
    expect(rejection(monitor).message).toMatch(/interval must match pattern/);
    expect(() => validateKubeObject({ ...monitor, spec: { selector: {}, endpoints: [{ port: 'http', interval: '15s' }] } })).not.toThrow();
  });

  it('refuses a kind it has no schema for instead of passing it unchecked', () => {
    const error = rejection({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
    expect(error.code).toBe('ERR_SCHEMA_UNKNOWN');
    expect(error.message).toMatch(/Widget\/w: no schema known for example.com\/v1 Widget/);
  });
});
