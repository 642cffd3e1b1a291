import { createEvent } from '@rebal/redis-client';
import type { AlertChange, AlertRecord } from '../alerts';
import { createAlertNotifier } from './alert-notifier';

const alert: AlertRecord = {
  id: 'a1',
  ruleId: 'r',
  type: 'price_threshold',
  severity: 'S2',
  labels: { rule: 'r' },
  fingerprint: 'f',
  annotations: {},
  value: 1,
  startsAt: 1,
  updatedAt: 2,
  status: 'firing',
  version: 3,
};

function entry(type: string, data: Record<string, unknown>, time = '2025-01-01T00:00:00.000Z') {
  return { ...createEvent({ type, source: '/alert-service', subject: 'a1', data, time }), datacontenttype: 'application/json' as const };
}

describe('createAlertNotifier', () => {
  const notified: AlertChange[] = [];
  const scheduled: Array<[string, number, number]> = [];
  const handler = createAlertNotifier({
    dispatcher: {
      notify: async (change) => {
        notified.push(change);
        return [];
      },
      scheduleSnoozeExpiry: async (id, until, version) => {
        scheduled.push([id, until, version]);
      },
    },
  });
  const where = { id: '1-0', stream: 'alerts', deliveries: 1 };
  beforeEach(() => {
    notified.length = 0;
    scheduled.length = 0;
  });

  it('notifies the changes the store marked notify, with the event time as the change time', async () => {
    await handler(entry('alert.raised', { alert, actor: 'rule:r', notify: true }), where);
    await handler(entry('alert.acknowledged', { alert: { ...alert, status: 'acknowledged' }, actor: 'user:a', notify: false }), where);
    expect(notified).toEqual([{ type: 'alert.raised', alert, actor: 'rule:r', at: Date.parse('2025-01-01T00:00:00.000Z') }]);
  });

  it('schedules the expiry of every snooze, notified or not', async () => {
    const snoozed = { ...alert, status: 'snoozed' as const, snoozedUntil: 99, version: 4 };
    await handler(entry('alert.snoozed', { alert: snoozed, actor: 'user:a', notify: false }), where);
    expect(scheduled).toEqual([['a1', 99, 4]]);
    expect(notified).toEqual([]);
  });

  it('skips entries without an alert record instead of failing forever', async () => {
    await expect(handler(entry('alert.raised', { notify: true }), where)).resolves.toBeUndefined();
    expect(notified).toEqual([]);
  });
});
