import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { ingressBackendFor } from './ingress-route';

const backend = (name: string) => ({ service: { name, port: { name: 'http' } } });
const INGRESS: IIngress = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'demo' },
  spec: {
    rules: [
      {
        host: 'app.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Exact', backend: backend('web') },
            { path: '/api', pathType: 'Prefix', backend: backend('api') },
            { path: '/api/v1/', pathType: 'Prefix', backend: backend('api-v1') },
            { path: '/ws', pathType: 'Exact', backend: backend('ws') },
          ],
        },
      },
    ],
  },
};

describe('ingressBackendFor', () => {
  it('prefers an Exact path, then the longest Prefix matched element by element', () => {
    expect(ingressBackendFor(INGRESS, '/')?.name).toBe('web');
    expect(ingressBackendFor(INGRESS, '/ws')?.name).toBe('ws');
    expect(ingressBackendFor(INGRESS, '/api')?.name).toBe('api');
    expect(ingressBackendFor(INGRESS, '/api/v1')?.name).toBe('api-v1');
    expect(ingressBackendFor(INGRESS, '/api/v1/alerts')?.name).toBe('api-v1');
    expect(ingressBackendFor(INGRESS, '/api/v10')?.name).toBe('api');
  });

  it('matches nothing outside the paths: no Prefix element match, an Exact path with more after it, another host', () => {
    expect(ingressBackendFor(INGRESS, '/apix')).toBeUndefined();
    expect(ingressBackendFor(INGRESS, '/ws/more')).toBeUndefined();
    expect(ingressBackendFor(INGRESS, '/metrics')).toBeUndefined();
    expect(ingressBackendFor(INGRESS, '/', 'other.example.com')).toBeUndefined();
    expect(ingressBackendFor(INGRESS, '/', 'app.example.com')?.name).toBe('web');
  });

  it('refuses ImplementationSpecific paths, whose matching the controller decides', () => {
    const loose: IIngress = { ...INGRESS, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'ImplementationSpecific', backend: backend('web') }] } }] } };
    expect(() => ingressBackendFor(loose, '/x')).toThrow(/ImplementationSpecific/);
  });
});
