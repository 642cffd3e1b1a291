import { FAULT_KINDS, planFaults, type PlanFaultsOptions } from './fault-schedule';

const options: PlanFaultsOptions = { seed: 7, durationMs: 90_000, replicas: ['alert-service-1', 'streaming-gateway-2'], rollingApps: ['alert-service'], clients: 20 };

describe('planFaults', () => {
  it('gives the same plan for the same seed, and another for another seed', () => {
    expect(planFaults(options)).toEqual(planFaults(options));
    expect(planFaults({ ...options, seed: 8 })).not.toEqual(planFaults(options));
  });

  it('plans every kind at least once, inside the phase, without overlaps', () => {
    for (let seed = 1; seed <= 50; seed += 1) {
      const plan = planFaults({ ...options, seed });
      expect(new Set(plan.map((fault) => fault.kind))).toEqual(new Set(FAULT_KINDS));
      for (const [index, fault] of plan.entries()) {
        expect(fault.atMs).toBeLessThan(options.durationMs);
        const previous = plan[index - 1];
        if (previous !== undefined) expect(fault.atMs).toBeGreaterThanOrEqual(previous.atMs + previous.holdMs + 3_000);
      }
    }
  });

  it('pauses Redis past every service timeout and aims kills at the given replicas', () => {
    const plan = planFaults(options);
    for (const fault of plan.filter((f) => f.kind === 'redis-pause')) expect(fault.holdMs).toBeGreaterThanOrEqual(6_000);
    for (const fault of plan.filter((f) => f.kind === 'replica-kill')) expect(options.replicas).toContain(fault.target);
    for (const fault of plan.filter((f) => f.kind === 'client-cut')) expect(fault.count).toBeGreaterThanOrEqual(1);
  });

  it('kills a replica of each app it must, besides the other kinds', () => {
    const replicas = ['alert-service-1', 'alert-service-2', 'streaming-gateway-1', 'streaming-gateway-2', 'health-monitor-1'];
    for (let seed = 1; seed <= 30; seed += 1) {
      const plan = planFaults({ ...options, seed, replicas, killEachOf: ['alert-service', 'streaming-gateway'], durationMs: 100_000, meanGapMs: 12_000 });
      const killed = plan.filter((fault) => fault.kind === 'replica-kill').map((fault) => fault.target);
      expect(killed.some((name) => name?.startsWith('alert-service-'))).toBe(true);
      expect(killed.some((name) => name?.startsWith('streaming-gateway-'))).toBe(true);
    }
  });

  it('refuses a phase too short for one fault of each kind', () => {
    expect(() => planFaults({ ...options, durationMs: 20_000 })).toThrow(/too short/);
  });
});
