import { createEvent } from './cloud-event';

describe('createEvent', () => {
  it('fills in the CloudEvents attributes, a random id and the current time', () => {
    const before = Date.now();
    const event = createEvent({ type: 'price_update', source: '/test', data: { symbol: 'BTC', price: 1, currency: 'USD' } });
    expect(event).toMatchObject({ specversion: '1.0', type: 'price_update', source: '/test', datacontenttype: 'application/json' });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(event.time)).toBeGreaterThanOrEqual(before - 1);
    expect(event).not.toHaveProperty('subject');
  });

  it('keeps a given id, time and subject', () => {
    const event = createEvent({ type: 'heartbeat', source: '/s', data: {}, id: 'e-1', time: '2024-01-01T00:00:00.000Z', subject: 'svc' });
    expect(event).toMatchObject({ id: 'e-1', time: '2024-01-01T00:00:00.000Z', subject: 'svc' });
  });

  it('gives every event its own id', () => {
    const ids = new Set(Array.from({ length: 100 }, () => createEvent({ type: 't', source: '/s', data: null }).id));
    expect(ids.size).toBe(100);
  });
});
