/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { GatewayClient, type CloudEvent, type ConnectionState, type SessionStore } from '@rebal/gateway-client';
import { AlertApi, AlertApiError } from './alert-api';
import { alertFromEvent, reduceAlerts, sortAlerts, type AlertView } from './alert-view-model';
import type { DashboardConfig } from './dashboard-config';
import { byId, setText } from './dom';
import { healthFromEvent, reduceHealth, sortHealth, type ServiceHealth } from './health-view-model';
import { priceRowFromEvent, type PriceRow } from './price-view-model';
import { onAlertAction, renderAlerts, type AlertActionRequest } from './render-alerts';
import { renderHealth } from './render-health';
import { renderPriceRow } from './render-prices';

/** The channels the dashboard reads. */
export const DASHBOARD_CHANNELS = ['market_data', 'alerts', 'risk_events'] as const;

/** Retry delay of a failed alert list fetch, ms. */
const ALERT_RELOAD_RETRY_MS = 10_000;

const SESSION_KEY = 'rebal.gateway.session';

/** The tab's gateway session id in `sessionStorage`, so a reload resumes it (storage errors are ignored). */
function sessionStore(): SessionStore {
  return {
    load: () => {
      try {
        return sessionStorage.getItem(SESSION_KEY) ?? undefined;
      } catch {
        return undefined;
      }
    },
    save: (id) => {
      try {
        sessionStorage.setItem(SESSION_KEY, id);
      } catch {
        // Private browsing or quota: the session is then kept for this page only.
      }
    },
  };
}

/**
 * The live dashboard: connects to the gateway with the SDK, keeps prices, alerts and service
 * health from the streams, loads the active alerts from the alert API (at start and whenever
 * the `alerts` channel could not resume gaplessly) and sends the alert actions.
 */
export class DashboardApp {
  private readonly prices = new Map<string, PriceRow>();
  private alerts = new Map<string, AlertView>();
  private health = new Map<string, ServiceHealth>();
  private readonly busy = new Set<string>();
  private readonly confirmed = new Set<string>();
  private alertsLoaded = false;
  private loading: Promise<void> | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly client: GatewayClient;
  private readonly api: AlertApi;

  constructor(
    config: DashboardConfig & { token: string },
    private readonly page = {
      state: byId('connection-state'),
      detail: byId('connection-detail'),
      prices: byId<HTMLTableSectionElement>('prices'),
      pricesEmpty: byId('prices-empty'),
      alerts: byId<HTMLUListElement>('alerts'),
      alertsEmpty: byId('alerts-empty'),
      alertsError: byId('alerts-error'),
      health: byId<HTMLUListElement>('health'),
      healthEmpty: byId('health-empty'),
    },
  ) {
    this.api = new AlertApi({ baseUrl: config.alertApi, token: config.token });
    this.client = new GatewayClient({ url: config.wsUrl, token: config.token, session: sessionStore() });
    this.client.on('state', (state) => this.showState(state));
    this.client.on('error', (code, message) => setText(this.page.detail, `${code}: ${message}`));
    this.client.on('message', (channel, _id, event) => this.onEvent(channel, event));
    this.client.on('recovered', (channel, recovered) => this.onRecovered(channel, recovered));
    onAlertAction(this.page.alerts, (request) => void this.runAction(request));
  }

  /** Connects and subscribes; failures show on the page. */
  start(): void {
    this.client.connect().catch(() => undefined);
    for (const channel of DASHBOARD_CHANNELS) {
      this.client.subscribe(channel).catch((error: Error) => setText(this.page.detail, `cannot read ${channel}: ${error.message}`));
    }
  }

  private showState(state: ConnectionState): void {
    this.page.state.dataset['state'] = state;
    setText(this.page.state, state);
    if (state === 'authenticated') setText(this.page.detail, '');
    else this.markSubscribed(undefined);
  }

  /** Tracks confirmed channels; `data-ready="true"` on the state element once all are subscribed on this connection. */
  private markSubscribed(channel: string | undefined): void {
    if (channel === undefined) this.confirmed.clear();
    else this.confirmed.add(channel);
    this.page.state.dataset['subscribed'] = [...this.confirmed].join(' ');
    this.page.state.dataset['ready'] = String(DASHBOARD_CHANNELS.every((c) => this.confirmed.has(c)));
  }

  private onRecovered(channel: string, recovered: boolean): void {
    this.markSubscribed(channel);
    // A gap (or a fresh page) means the alert list must come from the API.
    if (channel === 'alerts' && (!recovered || !this.alertsLoaded)) void this.loadAlerts();
  }

  private onEvent(channel: string, event: CloudEvent): void {
    const stream = channel.split(':')[0];
    if (stream === 'market_data') {
      const symbol = (event.data as { symbol?: unknown } | null)?.symbol;
      const row = priceRowFromEvent(typeof symbol === 'string' ? this.prices.get(symbol) : undefined, event);
      if (row === undefined) return;
      this.prices.set(row.symbol, row);
      renderPriceRow(this.page.prices, row);
      this.page.pricesEmpty.hidden = true;
    } else if (stream === 'alerts') {
      const alert = alertFromEvent(event);
      if (alert !== undefined) this.applyAlerts(reduceAlerts(this.alerts, { kind: 'change', alert }));
    } else if (stream === 'risk_events') {
      const health = healthFromEvent(event);
      if (health === undefined) return;
      this.health = reduceHealth(this.health, health);
      renderHealth(this.page.health, sortHealth(this.health));
      this.page.healthEmpty.hidden = true;
    }
  }

  private applyAlerts(next: Map<string, AlertView>): void {
    this.alerts = next;
    const sorted = sortAlerts(next.values());
    renderAlerts(this.page.alerts, sorted, this.busy);
    this.page.alertsEmpty.hidden = sorted.some((a) => a.status !== 'resolved');
  }

  private loadAlerts(): Promise<void> {
    this.loading ??= (async () => {
      clearTimeout(this.reloadTimer);
      const startedAt = Date.now();
      try {
        const alerts = await this.api.listActive();
        this.alertsLoaded = true;
        this.showAlertError(undefined);
        this.applyAlerts(reduceAlerts(this.alerts, { kind: 'snapshot', alerts, startedAt }));
      } catch (error) {
        this.showAlertError(`Cannot load alerts from ${this.api.baseUrl}: ${(error as Error).message}`);
        this.reloadTimer = setTimeout(() => void this.loadAlerts(), ALERT_RELOAD_RETRY_MS);
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private async runAction(request: AlertActionRequest): Promise<void> {
    this.busy.add(request.id);
    this.applyAlerts(this.alerts);
    try {
      const alert =
        request.action === 'snooze' ? await this.api.snooze(request.id, request.minutes) : await this.api[request.action](request.id);
      this.showAlertError(undefined);
      this.alerts = reduceAlerts(this.alerts, { kind: 'change', alert });
    } catch (error) {
      const code = error instanceof AlertApiError ? ` (${error.code})` : '';
      this.showAlertError(`${request.action} failed${code}: ${(error as Error).message}`);
    } finally {
      this.busy.delete(request.id);
      this.applyAlerts(this.alerts);
    }
  }

  private showAlertError(message: string | undefined): void {
    setText(this.page.alertsError, message ?? '');
    this.page.alertsError.hidden = message === undefined;
  }
}
