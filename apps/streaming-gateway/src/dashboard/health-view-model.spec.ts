import type { CloudEvent } from '@rebal/gateway-client';
import { healthFromEvent, reduceHealth, sortHealth } from './health-view-model';

const status = (service: string, value: string, time: string): CloudEvent => ({
  specversion: '1.0',
  id: `${service}-${time}`,
  source: '/health-monitor',
  type: 'system_status',
  time,
  subject: service,
  data: { service, status: value, reason: `${service} is ${value}` },
});

describe('service health', () => {
  it('keeps the latest status per service, in name order', () => {
    let state = new Map();
    for (const event of [
      status('redis', 'healthy', '2024-01-01T00:00:01Z'),
      status('alert-service', 'down', '2024-01-01T00:00:02Z'),
      status('alert-service', 'healthy', '2024-01-01T00:00:03Z'),
      status('alert-service', 'degraded', '2024-01-01T00:00:00Z'),
    ]) {
      const health = healthFromEvent(event);
      if (health) state = reduceHealth(state, health);
    }
    expect(sortHealth(state).map((h) => [h.service, h.status])).toEqual([
      ['alert-service', 'healthy'],
      ['redis', 'healthy'],
    ]);
  });

  it('ignores risk metrics and unknown statuses', () => {
    expect(healthFromEvent({ ...status('x', 'healthy', '2024-01-01T00:00:00Z'), type: 'risk_metric' })).toBeUndefined();
    expect(healthFromEvent(status('x', 'on fire', '2024-01-01T00:00:00Z'))).toBeUndefined();
  });
});
