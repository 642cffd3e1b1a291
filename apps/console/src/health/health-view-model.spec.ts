import type { CloudEvent } from '@rebal/gateway-client';
import { applySnapshot, applyStatusEvent, EMPTY_HEALTH, serviceRows, SYSTEM_KEY } from './health-view-model';

const T0 = '2024-01-01T00:00:10.000Z';

const status = (service: string, value: string, time: string, instance?: string): CloudEvent => ({
  specversion: '1.0',
  id: `${service}-${time}`,
  source: '/health-monitor',
  type: 'system_status',
  time,
  subject: service,
  data: { service, status: value, reason: `${service} is ${value}`, ...(instance === undefined ? {} : { instance }) },
});

/** A snapshot as `GET /api/v1/status` returns it (the parts the console reads). */
function snapshot(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    status: 'healthy',
    reason: 'all checks pass',
    reasons: [],
    checkedAt: T0,
    services: [{ service: 'alert-service', status: 'healthy', reason: '1 of 1 instances up', expected: true, instances: [{ instance: 'a-1', status: 'healthy', secondsSinceHeartbeat: 2 }] }],
    streams: [
      { name: 'market_data', key: 'market_data', length: 500, groups: [{ name: 'alert-service', lag: 3, pending: 2 }, { name: 'gateway.g-1', lag: 0, pending: 0 }], dlq: { key: 'market_data:dlq', length: 0 } },
      { name: 'alerts', key: 'alerts', length: 12, groups: [], dlq: { key: 'alerts:dlq', length: 1 } },
    ],
    thresholds: { maxLag: 1000, pendingGrowthChecks: 5, memoryShare: 0.8 },
    ...overrides,
  };
}

describe('the health view', () => {
  it('shows the status of a snapshot as it is, without any transition', () => {
    const view = applySnapshot(EMPTY_HEALTH, snapshot());
    expect(view.scopes.get(SYSTEM_KEY)).toMatchObject({ status: 'healthy', reason: 'all checks pass', source: 'status', updatedAt: Date.parse(T0) });
    expect(serviceRows(view)).toEqual([
      expect.objectContaining({ service: 'alert-service', status: 'healthy', instances: [expect.objectContaining({ instance: 'a-1', status: 'healthy' })] }),
    ]);
    expect(view.thresholds).toEqual({ maxLag: 1000, pendingGrowthChecks: 5, memoryShare: 0.8 });
  });

  it('gives each stream its length, largest lag, pending and dead letters, warning past the monitor\'s thresholds', () => {
    const view = applySnapshot(
      EMPTY_HEALTH,
      snapshot({
        status: 'degraded',
        reasons: [{ scope: 'stream', subject: 'rebal:alerts/alert-service', code: 'pending_growing', status: 'degraded', message: '...' }],
        streams: [
          { name: 'market_data', key: 'rebal:market_data', length: 5000, groups: [{ name: 'alert-service', lag: 1001, pending: 0 }], dlq: { length: 0 } },
          { name: 'alerts', key: 'rebal:alerts', length: 12, groups: [{ name: 'alert-service', lag: null, pending: 7 }], dlq: { length: 2 } },
          { name: 'risk_events', key: 'rebal:risk_events', length: 0, groups: [{ name: 'x', lag: 1000, pending: 0 }], dlq: { length: 0 }, error: 'WRONGTYPE' },
        ],
      }),
    );
    expect(view.streams.map((s) => [s.name, s.length, s.lag, s.pending, s.deadLetters, s.lagWarning, s.pendingWarning, s.deadLetterWarning, s.error])).toEqual([
      ['alerts', 12, null, 7, 2, false, true, true, undefined],
      ['market_data', 5000, 1001, 0, 0, true, false, false, undefined],
      ['risk_events', 0, 1000, 0, 0, false, false, false, 'WRONGTYPE'],
    ]);
  });

  it('applies system_status transitions after the snapshot, and keeps a newer transition over an older snapshot', () => {
    let view = applySnapshot(EMPTY_HEALTH, snapshot());
    view = applyStatusEvent(view, status('system', 'degraded', '2024-01-01T00:00:11.000Z'));
    expect(view.scopes.get(SYSTEM_KEY)).toMatchObject({ status: 'degraded', source: 'event' });
    // A snapshot taken before that transition (the request was in flight) does not undo it.
    view = applySnapshot(view, snapshot({ checkedAt: '2024-01-01T00:00:10.500Z' }));
    expect(view.scopes.get(SYSTEM_KEY)?.status).toBe('degraded');
    view = applyStatusEvent(view, status('system', 'down', '2024-01-01T00:00:05.000Z'));
    expect(view.scopes.get(SYSTEM_KEY)?.status).toBe('degraded');
  });

  it("lists a service known only from its instances' events with the worst of them", () => {
    let view = applyStatusEvent(EMPTY_HEALTH, status('probe', 'degraded', '2024-01-01T00:00:01Z', 'p-1'));
    view = applyStatusEvent(view, status('probe', 'healthy', '2024-01-01T00:00:01Z', 'p-2'));
    expect(serviceRows(view)).toEqual([expect.objectContaining({ service: 'probe', status: 'degraded', reason: 'p-1: probe is degraded' })]);
    view = applyStatusEvent(view, status('probe', 'healthy', '2024-01-01T00:00:02Z', 'p-1'));
    expect(serviceRows(view)[0]?.status).toBe('healthy');
  });

  it('ignores other events and unknown statuses', () => {
    expect(applyStatusEvent(EMPTY_HEALTH, { ...status('x', 'healthy', T0), type: 'risk_metric' })).toBe(EMPTY_HEALTH);
    expect(applyStatusEvent(EMPTY_HEALTH, status('x', 'on fire', T0))).toBe(EMPTY_HEALTH);
    expect(applySnapshot(EMPTY_HEALTH, { status: 'fine' })).toBe(EMPTY_HEALTH);
  });
});
