import type { HealthStatus } from './health-snapshot';
import { findTransitions, scopeStatuses } from './transitions';

describe('findTransitions', () => {
  const snapshot = (system: HealthStatus, gw: HealthStatus, a: HealthStatus) =>
    scopeStatuses({
      status: system,
      reason: 'r',
      services: [
        {
          service: 'gw', status: gw, reason: 'gw', expected: true,
          instances: [{ instance: 'a', status: a, version: '1', startedAt: '', uptimeSeconds: 1, lastHeartbeatAt: '', secondsSinceHeartbeat: 4 }],
        },
      ],
    });

  it('announces nothing for healthy newcomers and nothing when nothing changed', () => {
    expect(findTransitions(new Map(), snapshot('healthy', 'healthy', 'healthy'))).toEqual([]);
    const previous = new Map<string, HealthStatus>([['system', 'degraded'], ['service:gw', 'degraded'], ['instance:gw/a', 'down']]);
    expect(findTransitions(previous, snapshot('degraded', 'degraded', 'down'))).toEqual([]);
  });

  it('announces each scope that changed, with instance scopes carrying the instance', () => {
    const previous = new Map<string, HealthStatus>([['system', 'healthy'], ['service:gw', 'healthy'], ['instance:gw/a', 'healthy']]);
    const changes = findTransitions(previous, snapshot('down', 'down', 'down'));
    expect(changes.map((c) => [c.key, c.service, c.instance, c.previous, c.status])).toEqual([
      ['system', 'system', undefined, 'healthy', 'down'],
      ['service:gw', 'gw', undefined, 'healthy', 'down'],
      ['instance:gw/a', 'gw', 'a', 'healthy', 'down'],
    ]);
    expect(changes[2]?.reason).toBe('gw/a: no heartbeat for 4 s');
  });

  it('announces a scope first seen unhealthy', () => {
    expect(findTransitions(new Map(), snapshot('healthy', 'healthy', 'degraded')).map((c) => c.key)).toEqual(['instance:gw/a']);
  });
});
