import { randomUUID } from 'node:crypto';
import type { AlertChangeJson, AlertJson } from '../../src/api';
import { ApiClient, signToken } from '../support/api-client';
import { priceEvent, testPublisher, thresholdRule } from '../support/events';
import { AlertServiceProcess } from '../support/service-process';
import { serviceEnv, uniquePrefix, waitForAlerts } from '../support/suite-context';
import type { SharedFixture } from './shared-fixture';

/** Everything the API shows about the alerts of a prefix: each alert with its history. */
async function snapshot(api: ApiClient): Promise<Array<{ alert: AlertJson; history: AlertChangeJson[] }>> {
  const { items } = await api.get<{ items: AlertJson[] }>('/alerts?limit=500');
  return Promise.all(items.map(async (alert) => ({ alert, history: (await api.get<{ items: AlertChangeJson[] }>(`/alerts/${alert.id}/history`)).items })));
}

/** A real process killed with SIGKILL and started again. */
export function restartTests(fx: SharedFixture): void {
  describe('restart', () => {
    const processes: AlertServiceProcess[] = [];
    afterAll(async () => {
      await Promise.all(processes.map((process) => process.kill('SIGKILL')));
    }, 30_000);

    it('shows exactly the same alerts and history after a SIGKILL and a new process', async () => {
      const prefix = uniquePrefix();
      const env = serviceEnv(fx.server(), prefix, { ALERT_SEED: 'true' });
      const first = await AlertServiceProcess.start({ ...env, INSTANCE_ID: 'restart-a' });
      processes.push(first);
      const api = new ApiClient(first.url, await signToken('bob'));
      const tag = randomUUID().slice(0, 6).toUpperCase();
      const symbols = ['F', 'A', 'S'].map((letter) => `${letter}${tag}`);
      for (const symbol of symbols) await api.expect(201, 'POST', '/rules', thresholdRule(symbol.toLowerCase(), symbol, 100, 200));
      const publisher = testPublisher(fx.admin, prefix);
      const t0 = Date.now();
      await publisher.publishMany('market_data', symbols.map((symbol, i) => priceEvent(symbol, 150, t0 + i)));
      await waitForAlerts(api, '', 3);
      await publisher.publish('market_data', priceEvent(symbols[0] as string, 250, t0 + 10));
      const byLabel = async () => Object.fromEntries((await waitForAlerts(api, '', 3)).map((alert) => [alert.labels['symbol'], alert]));
      let alerts = await byLabel();
      await api.expect(200, 'POST', `/alerts/${alerts[symbols[1] as string]?.id}/acknowledge`);
      await api.expect(200, 'POST', `/alerts/${alerts[symbols[2] as string]?.id}/snooze`, { minutes: 60 });
      await waitForAlerts(api, '', 1, (alert) => alert.severity === 'S2');
      alerts = await byLabel();
      expect(Object.values(alerts).map((alert) => alert.status).sort()).toEqual(['acknowledged', 'firing', 'snoozed']);
      const before = await snapshot(api);
      const rulesBefore = await api.get('/rules');
      const streamLength = await fx.admin.xlen(`${prefix}alerts`);

      expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
      const second = await AlertServiceProcess.start({ ...env, INSTANCE_ID: 'restart-b' });
      processes.push(second);
      const again = new ApiClient(second.url, await signToken('bob'));

      expect(await snapshot(again)).toEqual(before);
      expect(before.map((entry) => entry.history.length).sort()).toEqual([2, 2, 2]);
      expect(await again.get('/rules')).toEqual(rulesBefore);
      expect(await fx.admin.xlen(`${prefix}alerts`)).toBe(streamLength);
      // The second start did not seed again, and the new process keeps working on the same alerts.
      expect(second.messages()).not.toContain('seeded alert rules (first start)');
      expect(first.messages()).toContain('seeded alert rules (first start)');
      await again.expect(200, 'POST', `/alerts/${alerts[symbols[0] as string]?.id}/resolve`);
      expect(second.messages()).toContain('Redis Streams initialized successfully');
      // SIGTERM: a graceful stop, exit code 0.
      expect(await second.kill('SIGTERM')).toEqual({ code: 0, signal: null });
      expect(second.messages()).toContain('alert service stopped');
    }, 120_000);
  });
}
