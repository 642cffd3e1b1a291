import { randomUUID } from 'node:crypto';
import { decodeEntry, type CloudEvent, type HeartbeatData } from '@rebal/redis-client';
import { waitFor } from '@rebal/redis-testing';
import { toAlertJson, type AlertChangeJson, type AlertJson } from '../../src/api';
import type { AlertRecord } from '../../src/alerts';
import { priceEvent, riskEvent, snapshotEvent, statusEvent, thresholdRule } from '../support/events';
import { expectSchema } from '../support/openapi-validator';
import { waitForAlerts } from '../support/suite-context';
import type { SharedFixture } from './shared-fixture';

interface AlertEventData {
  alert: AlertRecord;
  actor: string;
  notify: boolean;
}

/** Every `alerts` stream event about `alertId`, in stream order. */
async function streamEventsOf(fx: SharedFixture, alertId: string): Promise<Array<CloudEvent<AlertEventData>>> {
  const entries = await fx.admin.xrange(`${fx.prefix}alerts`, '-', '+');
  return entries
    .map(([streamId, fields]) => {
      const decoded = decodeEntry(fields);
      if (!decoded.ok) throw new Error(`invalid alerts stream entry ${streamId}: ${decoded.reason}`);
      return decoded.event as CloudEvent<AlertEventData>;
    })
    .filter((event) => event.subject === alertId);
}

/** A rule on a fresh symbol (S1 at 100, S2 at 200) and its symbol. */
async function freshRule(fx: SharedFixture, tag: string): Promise<string> {
  const symbol = `${tag}${randomUUID().slice(0, 6).toUpperCase()}`;
  await fx.api.expect(201, 'POST', '/rules', thresholdRule(symbol.toLowerCase(), symbol, 100, 200));
  return symbol;
}

/** Events in, alerts, stream and webhooks out: through the whole service. */
export function endToEndTests(fx: SharedFixture): void {
  describe('end to end', () => {
    it('puts every state change once on the alerts stream, in order, with the full record', async () => {
      const symbol = await freshRule(fx, 'E');
      const ruleId = symbol.toLowerCase();
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [raised] = await waitForAlerts(fx.api, `?label=symbol=${symbol}`, 1);
      const id = (raised as AlertJson).id;
      await fx.publisher.publish('market_data', priceEvent(symbol, 250, fx.nextTime()));
      await waitFor(async () => (await fx.api.get<AlertJson>(`/alerts/${id}`)).severity === 'S2', { message: 'the alert updated to S2' });
      await fx.api.expect(200, 'POST', `/alerts/${id}/acknowledge`);
      await fx.api.expect(200, 'POST', `/alerts/${id}/snooze`, { minutes: 30 });
      const final = await fx.api.expect<AlertJson>(200, 'POST', `/alerts/${id}/resolve`);

      const events = await streamEventsOf(fx, id);
      expect(events.map((event) => event.type)).toEqual(['alert.raised', 'alert.updated', 'alert.acknowledged', 'alert.snoozed', 'alert.resolved']);
      expect(events.map((event) => event.id)).toEqual([1, 2, 3, 4, 5].map((version) => `${id}:${version}`));
      expect(events.map((event) => event.data.alert.version)).toEqual([1, 2, 3, 4, 5]);
      expect(events.map((event) => event.data.actor)).toEqual([`rule:${ruleId}`, `rule:${ruleId}`, 'user:alice', 'user:alice', 'user:alice']);
      expect(events.map((event) => event.data.alert.status)).toEqual(['firing', 'firing', 'acknowledged', 'snoozed', 'resolved']);

      const history = await fx.api.get<{ items: AlertChangeJson[] }>(`/alerts/${id}/history`);
      expectSchema('AlertHistory', history);
      // The stream carries exactly the records the history keeps, whole, and the last one is the alert now.
      expect(events.map((event) => toAlertJson(event.data.alert))).toEqual(history.items.map((change) => change.alert));
      expect(history.items.map((change) => change.type)).toEqual(events.map((event) => event.type));
      expect(history.items.map((change) => Date.parse(change.at))).toEqual(events.map((event) => Date.parse(event.time)));
      expect(toAlertJson((events[4] as CloudEvent<AlertEventData>).data.alert)).toEqual(final);
      expect(await fx.api.get(`/alerts/${id}`)).toEqual(final);
    });

    it('delivers each notified change to a webhook that fails twice exactly once, and never retries a 400', async () => {
      const symbol = await freshRule(fx, 'W');
      await fx.publisher.publish('market_data', priceEvent(symbol, 150, fx.nextTime()));
      const [alert] = await waitForAlerts(fx.api, `?label=symbol=${symbol}`, 1);
      const id = (alert as AlertJson).id;
      await fx.publisher.publish('market_data', priceEvent(symbol, 250, fx.nextTime()));
      const mine = (requests: typeof fx.flaky.requests) => requests.filter((request) => String(request.headers['x-rebal-delivery']).startsWith(`${id}:`));
      const accepted = () => mine(fx.flaky.requests).filter((request) => request.status === 200);
      await waitFor(() => accepted().length === 2, { timeoutMs: 20_000, message: () => `two accepted deliveries (have ${mine(fx.flaky.requests).map((r) => `${String(r.headers['x-rebal-delivery'])}=${r.status}`).join(', ')})` });

      // The raise (version 1) and the S2 update (version 2): three attempts each, the third accepted.
      const flaky = mine(fx.flaky.requests);
      for (const version of [1, 2]) {
        const attempts = flaky.filter((request) => request.headers['x-rebal-delivery'] === `${id}:${version}:flaky`);
        expect(attempts.map((request) => [request.headers['x-rebal-attempt'], request.status])).toEqual([
          ['1', 500],
          ['2', 500],
          ['3', 200],
        ]);
        const body = JSON.parse((attempts[2] as { body: string }).body) as { type: string; alert: AlertRecord; actor: string };
        expect(body).toMatchObject({ type: version === 1 ? 'alert.raised' : 'alert.updated', actor: `rule:${symbol.toLowerCase()}`, alert: { id, version } });
      }
      expect(accepted().map((request) => request.headers['x-rebal-delivery']).sort()).toEqual([`${id}:1:flaky`, `${id}:2:flaky`]);
      // The strict target answered 400 once per change and was not retried, while the flaky one needed three tries.
      const strict = mine(fx.strict.requests);
      expect(strict.map((request) => [request.headers['x-rebal-delivery'], request.headers['x-rebal-attempt'], request.status]).sort()).toEqual([
        [`${id}:1:strict`, '1', 400],
        [`${id}:2:strict`, '1', 400],
      ]);
      const failed = await fx.service.registry.getSingleMetric('rebal_alert_notifications_failed_total')?.get();
      const http4xx = failed?.values.find((value) => value.labels['target'] === 'strict' && value.labels['reason'] === 'http_4xx')?.value ?? 0;
      expect(http4xx).toBeGreaterThanOrEqual(2);
      expect(failed?.values.find((value) => value.labels['target'] === 'strict' && value.labels['reason'] === 'exhausted')).toBeUndefined();
    });

    it('turns portfolio_updates and risk_events into alerts too: a drift per holding, a risk metric, a service status', async () => {
      const tag = randomUUID().slice(0, 8);
      const [portfolio, service] = [`pf-${tag}`, `svc-${tag}`];
      const rules = [
        { id: `drift-${tag}`, name: 'drift', kind: 'portfolio_drift', band: 'absolute', portfolioId: portfolio, severities: { S1: 5 } },
        { id: `var-${tag}`, name: 'var', kind: 'risk_threshold', metric: 'var_95', portfolioId: portfolio, severities: { S1: 0.05 } },
        { id: `health-${tag}`, name: 'health', kind: 'service_health', service, severities: { S1: 1, S3: 2 } },
      ];
      for (const rule of rules) await fx.api.expect(201, 'POST', '/rules', rule);
      await fx.publisher.publish('portfolio_updates', snapshotEvent(portfolio, { BTC: 0.6, ETH: 0.4 }, { BTC: 0.5, ETH: 0.5 }, fx.nextTime()));
      await fx.publisher.publish('risk_events', riskEvent(portfolio, 'var_95', 0.07, fx.nextTime()));
      await fx.publisher.publish('risk_events', statusEvent(service, 'down', fx.nextTime()));

      const drift = await waitForAlerts(fx.api, `?label=rule=drift-${tag}`, 2);
      expect(drift.map((alert) => [alert.type, alert.labels['portfolioId'], alert.labels['symbol'], alert.severity, alert.value]).sort()).toEqual([
        ['portfolio_drift', portfolio, 'BTC', 'S1', 10],
        ['portfolio_drift', portfolio, 'ETH', 'S1', 10],
      ]);
      const [risk] = await waitForAlerts(fx.api, `?label=rule=var-${tag}`, 1);
      expect(risk).toMatchObject({ type: 'risk_threshold', severity: 'S1', value: 0.07, status: 'firing', labels: { metric: 'var_95', portfolioId: portfolio } });
      const [health] = await waitForAlerts(fx.api, `?label=rule=health-${tag}`, 1);
      expect(health).toMatchObject({ type: 'service_health', severity: 'S3', value: 2, status: 'firing', labels: { service } });
      await fx.publisher.publish('risk_events', statusEvent(service, 'healthy', fx.nextTime()));
      const [resolved] = await waitForAlerts(fx.api, `?label=rule=health-${tag}&status=resolved`, 1);
      expect(resolved).toMatchObject({ id: (health as AlertJson).id, resolvedBy: `rule:health-${tag}` });
    });

    it('says healthy from its very first heartbeat, every consumer reading', async () => {
      const [first] = await waitFor(
        async () => {
          const entries = await fx.admin.xrange(`${fx.prefix}service_heartbeats`, '-', '+');
          const beats = entries.map(([, fields]) => decodeEntry(fields)).flatMap((decoded) => (decoded.ok ? [decoded.event as CloudEvent<HeartbeatData>] : []));
          const own = beats.filter((beat) => beat.data.service === 'alert-service');
          return own.length > 0 ? own : undefined;
        },
        { message: 'a heartbeat of the alert service' },
      );
      expect(first?.data).toMatchObject({ status: 'healthy', details: { consumersReading: 4 } });
    });

    it('serves every metric of the service on one /metrics registry with the values the suite produced, default process metrics included', async () => {
      const res = await fetch(`${fx.service.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      const types = [
        ['rebal_alerts', 'gauge'],
        ['rebal_alert_rule_evaluations_total', 'counter'],
        ['rebal_alert_evaluation_duration_seconds', 'histogram'],
        ['rebal_alert_notifications_sent_total', 'counter'],
        ['rebal_alert_notifications_failed_total', 'counter'],
        ['rebal_alert_notification_queue_depth', 'gauge'],
        ['rebal_alert_api_requests_total', 'counter'],
        ['rebal_redis_connection_up', 'gauge'],
        ['process_cpu_seconds_total', 'counter'],
        ['nodejs_eventloop_lag_seconds', 'gauge'],
      ];
      for (const [name, type] of types) expect(text).toContain(`# TYPE ${name} ${type}`);
      expect(text).toMatch(/rebal_alert_notifications_sent_total\{target="flaky",severity="S1"\} [1-9]/);
      expect(text).toMatch(/rebal_alert_notifications_failed_total\{target="strict",reason="http_4xx"\} [1-9]/);
      // The values the earlier tests of this service produced: rule evaluations, their durations, alerts by status and severity.
      expect(text).toMatch(/rebal_alert_rule_evaluations_total\{kind="price_threshold",outcome="raise"\} [1-9]/);
      expect(text).toMatch(/rebal_alert_evaluation_duration_seconds_count [1-9]/);
      expect(text).toMatch(/rebal_alerts\{status="resolved",severity="S\d"\} [1-9]/);
      expect(text).toMatch(/rebal_alerts\{status="firing",severity="S\d"\} [1-9]/);
      expect(text).toMatch(/rebal_alert_api_requests_total\{method="GET",route="\/api\/v1\/alerts\/:id",status="200"\} [1-9]/);
    });
  });
}
