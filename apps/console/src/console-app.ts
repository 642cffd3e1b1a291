import { GatewayClient, type CloudEvent, type NotRecoveredReason } from '@rebal/gateway-client';
import { alertFromEvent, type AlertView } from './alerts/alert-view-model';
import { AlertsPanel, type AlertActionRequest, type AlertsPanelElements } from './alerts/alerts-panel';
import { HistoryDialog, type HistoryDialogElements } from './alerts/history-dialog';
import { AlertApi } from './api/alert-api';
import { ApiError } from './api/api-error';
import { HealthApi } from './api/health-api';
import type { ConsoleConfig } from './config/console-config';
import { ConnectionBanner } from './connection/connection-banner';
import { ConnectionTracker } from './connection/connection-view';
import { RetryClock } from './connection/retry-clock';
import { HealthPanel, type HealthPanelElements } from './health/health-panel';
import { applySnapshot, applyStatusEvent, EMPTY_HEALTH, type HealthView } from './health/health-view-model';
import { PricesPanel } from './prices/prices-panel';
import { priceTickFromEvent } from './prices/price-series';
import { RulesPanel, type RulesPanelElements } from './rules/rules-panel';
import { matchersForAlert } from './silences/silence-form-model';
import { SilencesPanel, type SilencesPanelElements } from './silences/silences-panel';

/** The channels the console reads. */
export const CONSOLE_CHANNELS = ['market_data', 'alerts', 'risk_events'] as const;

/** Retry delay of a failed REST load (alerts, health status), ms. */
const RELOAD_RETRY_MS = 10_000;
/** Resolved alerts loaded at start (the newest). */
const RESOLVED_LOADED = 20;
/** After a `system_status` transition the status is read again this much later (for the stream numbers), ms. */
const STATUS_REFRESH_DELAY_MS = 1_000;

/** Every element the console writes to (index.html). */
export interface ConsoleElements {
  readonly banner: HTMLElement;
  readonly bannerText: HTMLElement;
  readonly prices: HTMLElement;
  readonly pricesEmpty: HTMLElement;
  readonly alerts: AlertsPanelElements;
  readonly history: HistoryDialogElements;
  readonly rules: RulesPanelElements;
  readonly silences: SilencesPanelElements;
  readonly health: HealthPanelElements;
  readonly healthRefresh: HTMLButtonElement;
}

/**
 * The console: connects to the gateway with the SDK (`market_data`, `alerts`, `risk_events`)
 * and shows prices as charts, the alerts (loaded from the alert API at start and after any gap,
 * then kept live from the stream) with their actions and history, the rules and silences
 * (read and changed through the API), the system's health (the monitor's status at start, then
 * its `system_status` transitions) and the connection's state.
 */
export class ConsoleApp {
  private readonly client: GatewayClient;
  private readonly api: AlertApi;
  private readonly healthApi: HealthApi | undefined;
  private readonly tracker = new ConnectionTracker(CONSOLE_CHANNELS);
  private readonly retry = new RetryClock(false);
  private readonly banner: ConnectionBanner;
  private readonly prices: PricesPanel;
  private readonly alerts: AlertsPanel;
  private readonly history: HistoryDialog;
  private readonly rules: RulesPanel;
  private readonly silences: SilencesPanel;
  private readonly healthPanel: HealthPanel;
  private health: HealthView = EMPTY_HEALTH;
  private alertsLoaded = false;
  private alertsLoading: Promise<void> | undefined;
  private alertsRetry: ReturnType<typeof setTimeout> | undefined;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(config: ConsoleConfig & { token: string }, page: ConsoleElements) {
    this.api = new AlertApi({ baseUrl: config.alertApi, token: config.token });
    this.healthApi = config.healthApi === undefined ? undefined : new HealthApi(config.healthApi);
    this.banner = new ConnectionBanner(page.banner, page.bannerText);
    this.prices = new PricesPanel(page.prices, page.pricesEmpty);
    this.history = new HistoryDialog(page.history);
    this.silences = new SilencesPanel(page.silences, this.api);
    this.alerts = new AlertsPanel(page.alerts, {
      action: (request) => void this.runAction(request),
      history: (alert) => void this.history.show(alert, this.api.history(alert.id)),
      silence: (alert) => this.silences.open(matchersForAlert(alert.labels, alert.ruleId)),
    });
    this.rules = new RulesPanel(page.rules, this.api, (rules) => this.alerts.setRules(rules.map((r) => r.id)));
    this.healthPanel = new HealthPanel(page.health);
    page.healthRefresh.addEventListener('click', () => void this.loadStatus());

    // The token is fixed (from the page URL): a refused or expired one ends the client. The SDK
    // keeps the session and each channel's last id in sessionStorage, so a reload resumes.
    this.client = new GatewayClient({ url: config.wsUrl, token: config.token, random: this.retry.random });
    this.retry.attach(this.client);
    this.client.on('state', (state) => this.banner.show(this.tracker.state(state, Date.now(), state === 'reconnecting' ? this.retry.nextAttemptAt() : undefined)));
    this.client.on('error', (code, message) => this.tracker.error(code, message));
    this.client.on('recovered', (channel, recovered, reason) => this.onRecovered(channel, recovered, reason));
    this.client.on('message', (channel, _id, event) => this.onEvent(channel, event));
  }

  /** Connects, subscribes, and loads the rules, silences and health status. */
  start(): void {
    this.banner.show(this.tracker.view);
    this.healthPanel.render(this.health);
    this.client.connect().catch(() => undefined);
    for (const channel of CONSOLE_CHANNELS) {
      this.client.subscribe(channel).catch((error: Error) => this.tracker.error('subscribe_failed', `${channel}: ${error.message}`));
    }
    void this.rules.load();
    void this.silences.load();
    void this.loadStatus();
  }

  private onRecovered(channel: string, recovered: boolean, reason: NotRecoveredReason | undefined): void {
    this.banner.show(this.tracker.recovered(channel, recovered, reason));
    // A gap (or a fresh page) means the state must come from the APIs.
    if (channel === 'alerts' && (!recovered || !this.alertsLoaded)) void this.loadAlerts();
    if (channel === 'risk_events' && !recovered && reason !== 'no_position') void this.loadStatus();
  }

  private onEvent(channel: string, event: CloudEvent): void {
    const stream = channel.split(':')[0];
    if (stream === 'market_data') {
      const tick = priceTickFromEvent(event);
      if (tick !== undefined) this.prices.add(tick);
    } else if (stream === 'alerts') {
      const alert = alertFromEvent(event);
      if (alert !== undefined) this.alerts.apply({ kind: 'change', alert });
    } else if (stream === 'risk_events' && event.type === 'system_status') {
      this.health = applyStatusEvent(this.health, event);
      this.healthPanel.render(this.health);
      // The transition is news; the numbers behind it (lag, pending) come with the next status.
      if (this.healthApi !== undefined) {
        clearTimeout(this.statusTimer);
        this.statusTimer = setTimeout(() => void this.loadStatus(), STATUS_REFRESH_DELAY_MS);
      }
    }
  }

  private loadAlerts(): Promise<void> {
    this.alertsLoading ??= (async () => {
      clearTimeout(this.alertsRetry);
      const startedAt = Date.now();
      try {
        const [active, resolved] = await Promise.all([this.api.listActive(), this.api.listAlerts({ status: 'resolved', limit: RESOLVED_LOADED })]);
        this.alertsLoaded = true;
        this.alerts.showError(undefined);
        this.alerts.apply({ kind: 'snapshot', alerts: [...active, ...resolved], startedAt });
      } catch (error) {
        this.alerts.showError(`Cannot load alerts from ${this.api.baseUrl}: ${(error as Error).message}`);
        this.alertsRetry = setTimeout(() => void this.loadAlerts(), RELOAD_RETRY_MS);
      } finally {
        this.alertsLoading = undefined;
      }
    })();
    return this.alertsLoading;
  }

  private async loadStatus(): Promise<void> {
    clearTimeout(this.statusTimer);
    if (this.healthApi === undefined) {
      this.healthPanel.note('No health monitor URL is configured (HEALTH_API_URL): showing the changes it announces from now on.');
      return;
    }
    try {
      this.health = applySnapshot(this.health, await this.healthApi.status());
      this.healthPanel.note('');
    } catch (error) {
      const why = error instanceof ApiError && error.code === 'no_snapshot' ? 'the monitor has not finished its first check' : (error as Error).message;
      this.healthPanel.note(`Cannot read the status from ${this.healthApi.baseUrl}: ${why}. Retrying…`);
      this.statusTimer = setTimeout(() => void this.loadStatus(), RELOAD_RETRY_MS);
    }
    this.healthPanel.render(this.health);
  }

  private async runAction(request: AlertActionRequest): Promise<void> {
    this.alerts.setBusy(request.id, true);
    try {
      const alert: AlertView = request.action === 'snooze' ? await this.api.snooze(request.id, request.minutes) : await this.api[request.action](request.id);
      this.alerts.showError(undefined);
      this.alerts.apply({ kind: 'change', alert });
    } catch (error) {
      const code = error instanceof ApiError ? ` (${error.code})` : '';
      this.alerts.showError(`${request.action} failed${code}: ${(error as Error).message}`);
    } finally {
      this.alerts.setBusy(request.id, false);
    }
  }
}
