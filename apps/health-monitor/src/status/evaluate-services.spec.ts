import { record } from '../test/fixtures';
import { evaluateServices, type EvaluateServicesInput } from './evaluate-services';

const base: Omit<EvaluateServicesInput, 'records'> = { expected: [], nowMs: 100_000, timeoutMs: 3_000, goneAfterMs: 10_000, observingSinceMs: 0 };

describe('evaluateServices', () => {
  it('keeps an instance up within the timeout and turns it down after', () => {
    const [service] = evaluateServices({ ...base, records: [record('gw', 'a', 97_500), record('gw', 'b', 96_000)] });
    expect(service?.instances.map((i) => [i.instance, i.status])).toEqual([['a', 'healthy'], ['b', 'down']]);
    expect(service?.status).toBe('degraded');
    expect(service?.reason).toContain('b down');
  });

  it('reports a service down when all its instances are down', () => {
    const [service] = evaluateServices({ ...base, records: [record('gw', 'a', 90_000)] });
    expect(service?.status).toBe('down');
  });

  it('leaves gone instances out but keeps their service, down', () => {
    const [service] = evaluateServices({ ...base, records: [record('gw', 'a', 80_000)] });
    expect(service?.instances).toEqual([]);
    expect(service?.status).toBe('down');
    expect(service?.reason).toContain('no instance has sent a heartbeat');
  });

  it('reports an expected service that never sent a heartbeat as down, once the monitor listened for a timeout', () => {
    expect(evaluateServices({ ...base, observingSinceMs: 98_000, expected: ['alert-service'], records: [] })).toEqual([]);
    const services = evaluateServices({ ...base, expected: ['alert-service'], records: [] });
    expect(services).toEqual([expect.objectContaining({ service: 'alert-service', status: 'down', expected: true, instances: [] })]);
  });

  it('passes on what an instance reports about itself', () => {
    const [service] = evaluateServices({ ...base, records: [record('gw', 'a', 99_000, { status: 'degraded', details: { clients: 3 } })] });
    expect(service?.status).toBe('degraded');
    expect(service?.instances[0]?.details).toEqual({ clients: 3 });
  });

  it('does not count silence from before the monitor could observe', () => {
    const [service] = evaluateServices({ ...base, observingSinceMs: 99_000, records: [record('gw', 'a', 50_000)] });
    expect(service?.instances.map((i) => i.status)).toEqual(['healthy']);
  });
});
