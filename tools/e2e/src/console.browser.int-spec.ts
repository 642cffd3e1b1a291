/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The console (apps/console) in a real headless Chromium, served by the gateway of a real stack
// (tools/e2e/src/stack: TLS Redis with ACL users, the gateway behind a balancer, the alert
// service, the health monitor and the market simulator, as processes): what an operator sees
// and clicks. One stack and one page for the whole file; the screenshots in docs/images come
// from here.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, StreamPublisher } from '@rebal/redis-client';
import { waitFor } from '@rebal/redis-testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Registry } from 'prom-client';
import { E2eStack } from './stack';
import { AlertApiClient, launchChromium, PageProblems, REPO_ROOT, type AlertJson } from './support';

/** Building five projects and starting the stack and Chromium on a busy 2-core machine. */
const SETUP_TIMEOUT_MS = 240_000;
/** How long after its first price a symbol's chart must show it. */
const CHART_DEADLINE_MS = 2_000;
const SUBJECT = 'e2e-console';
/**
 * Where the screenshots go: with UPDATE_DOCS_SCREENSHOTS=1 into docs/images (the README and
 * apps/console/README.md show them), otherwise into a temporary folder, so a test run leaves
 * the committed pictures alone.
 */
const IMAGES = process.env['UPDATE_DOCS_SCREENSHOTS'] === '1' ? join(REPO_ROOT, 'docs/images') : join(tmpdir(), `rebal-console-screenshots-${process.pid}`);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
/** The services the stack's health monitor expects (E2eStack's HEALTH_EXPECTED_SERVICES). */
const EXPECTED_SERVICES = ['alert-service', 'streaming-gateway'];
/** The console asks the alert API with a 400 to show its field errors; Chromium logs every failed request as a console error. */
const EXPECTED_400 = /^console error: Failed to load resource: the server responded with a status of 400/;

/** A symbol no other test or the simulator publishes. */
function uniqueSymbol(): string {
  return `E2E${randomBytes(4).toString('hex').toUpperCase()}`;
}

describe('the console in Chromium', () => {
  let stack: E2eStack | undefined;
  let publisher: StreamPublisher;
  let api: AlertApiClient;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let problems: PageProblems;
  let consoleUrl: string;
  /** `<METHOD> <path> <status>` of every alert API and health monitor response the page got. */
  const responses: string[] = [];

  /** The element with `data-testid=<testId>` once its `attribute` equals `value`. */
  const withAttribute = (testId: string, attribute: string, value: string) => page.locator(`[data-testid="${testId}"][${attribute}="${value}"]`);
  const publishPrice = (symbol: string, price: number) =>
    publisher.publish('market_data', createEvent({ type: 'price_update', source: '/e2e-test', subject: symbol, data: { symbol, price, currency: 'USD' } }));
  /** The number of points the symbol's chart drew last (its `data-points`). */
  const pointsOf = async (symbol: string) => Number((await page.getByTestId(`chart-${symbol}`).getAttribute('data-points')) ?? '0');

  /** The alert a rule raised, publishing `price` for `symbol` again every round until it exists (a new rule applies from the next rules check). */
  async function alertOf(ruleId: string, symbol: string, price: number): Promise<AlertJson> {
    return waitFor(
      async () => {
        const [found] = await api.listAlerts({ label: `rule=${ruleId}`, status: 'firing' });
        if (!found) await publishPrice(symbol, price);
        return found;
      },
      { timeoutMs: 30_000, intervalMs: 500, message: `an alert of rule ${ruleId}` },
    );
  }

  beforeAll(async () => {
    stack = await E2eStack.start({ alertReplicas: 1, gatewayReplicas: 1 });
    const token = await stack.token({ subject: SUBJECT });
    api = new AlertApiClient(stack.alertApiUrl(), token);
    const producer = stack.connect('rebal-producer');
    publisher = new StreamPublisher({ redis: producer, registry: new Registry() });
    await producer.ping(); // connected before any latency is measured

    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    problems = new PageProblems(page);
    const origins = [stack.alertApiUrl(), ...stack.replicasOf('health-monitor').map((r) => `${r.url}/api/v1`)];
    page.on('response', (response) => {
      const base = origins.find((origin) => response.url().startsWith(origin));
      if (base !== undefined) responses.push(`${response.request().method()} ${response.url().slice(base.length)} ${response.status()}`);
    });
    // A stack that has settled: a service reports itself degraded while it starts, and the
    // monitor announces that. The page must then show "healthy" from the status alone.
    const monitor = stack.replicasOf('health-monitor')[0]?.url;
    await waitFor(
      async () => {
        const status = (await (await fetch(`${monitor}/api/v1/status`)).json()) as { status: string; services: Array<{ service: string; status: string }> };
        const healthy = new Set(status.services.filter((service) => service.status === 'healthy').map((service) => service.service));
        return status.status === 'healthy' && healthy.size === status.services.length && EXPECTED_SERVICES.every((service) => healthy.has(service));
      },
      { timeoutMs: 60_000, intervalMs: 500, message: 'the health monitor to report every service healthy' },
    );
    // Only the token in the URL: the gateway serves where the alert API and the health monitor are.
    consoleUrl = `${stack.consoleUrl}/?token=${token}`;
    await page.goto(consoleUrl);
    await withAttribute('connection-banner', 'data-ready', 'true').waitFor({ state: 'attached', timeout: 30_000 });
  }, SETUP_TIMEOUT_MS);

  afterEach(() => {
    const seen = problems?.take() ?? [];
    if (seen.length > 0) throw new Error(`the page reported ${seen.length} problem(s):\n${seen.join('\n')}`);
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  }, 60_000);

  it('shows the health monitor\'s status as "healthy" on first load, from its /api/v1/status, without any transition', async () => {
    const overall = page.getByTestId('health-overall');
    await withAttribute('health-overall', 'data-source', 'status').waitFor({ timeout: 10_000 });
    expect(await overall.getAttribute('data-status')).toBe('healthy');
    expect(await overall.textContent()).toContain('all checks pass');
    expect(responses).toContain('GET /status 200');
    // Every expected service, and the streams with their numbers.
    for (const service of EXPECTED_SERVICES) expect([service, await page.getByTestId(`health-${service}`).getAttribute('data-status')]).toEqual([service, 'healthy']);
    const marketData = page.getByTestId('stream-market_data');
    expect(Number((await marketData.locator('[data-role="length"]').textContent())?.replace(/,/g, ''))).toBeGreaterThan(0);
    expect(await marketData.getAttribute('data-warning')).toBe('false');
    expect(await page.getByTestId('health-note').isHidden()).toBe(true);
  });

  it('connects, subscribes to every channel and loads the alerts from the alert API across origins', async () => {
    const banner = page.getByTestId('connection-banner');
    expect(await banner.getAttribute('data-state')).toBe('connected');
    expect((await banner.getAttribute('data-subscribed'))?.split(' ').sort()).toEqual(['alerts', 'market_data', 'risk_events']);
    // A first visit: nothing to resume.
    expect(await banner.getAttribute('data-resume')).toBe('fresh');
    // One list call per active status and one for the recently resolved, each answered 200 to the gateway's origin (CORS_ORIGINS).
    const listCalls = () => responses.filter((r) => r.startsWith('GET /alerts?'));
    await waitFor(() => listCalls().length >= 4, { timeoutMs: 10_000, message: () => `4 alert list calls (got ${responses.join(', ') || 'none'})` });
    const answered = listCalls().map((call) => {
      const [, path = '', status] = call.split(' ');
      return `${new URL(path, 'http://api').searchParams.get('status')} ${status}`;
    });
    expect(answered.sort()).toEqual(['acknowledged 200', 'firing 200', 'resolved 200', 'snoozed 200']);
    expect(await page.getByTestId('alerts-error').isHidden()).toBe(true);
    expect(await page.getByTestId('alerts-empty').isVisible()).toBe(true);
  });

  it(`draws points in a symbol's chart within ${CHART_DEADLINE_MS} ms of its first price`, async () => {
    const symbol = uniqueSymbol();
    const publishedAt = Date.now();
    await publishPrice(symbol, 123.45);
    await page.waitForFunction((s) => Number(document.querySelector(`[data-testid="chart-${s}"]`)?.getAttribute('data-points') ?? '0') >= 1, symbol, {
      timeout: Math.max(1, CHART_DEADLINE_MS - (Date.now() - publishedAt)),
    });
    expect(Date.now() - publishedAt).toBeLessThan(CHART_DEADLINE_MS);
    expect(await page.getByTestId(`price-${symbol}-value`).textContent()).toContain('123.45');
    // uPlot drew on its canvas: the plotting area is not blank.
    const inked = await page.getByTestId(`chart-${symbol}`).evaluate((host) => {
      const canvas = host.querySelector('canvas');
      const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      let count = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) count++;
      return count;
    });
    expect(inked).toBeGreaterThan(0);

    // The next price joins the same chart, and the card shows the direction.
    await publishPrice(symbol, 130);
    await withAttribute(`price-${symbol}`, 'data-price', '130').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await pointsOf(symbol)).toBe(2);
    expect(await page.getByTestId(`price-${symbol}`).getAttribute('data-direction')).toBe('up');
    expect(await page.getByTestId(`price-${symbol}`).count()).toBe(1);
  });

  it("shows the API's validation errors at the rule form's fields", async () => {
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-field-id').fill('Not An Id!');
    await page.getByTestId('rule-field-name').fill('e2e: invalid');
    await page.getByTestId('rule-field-symbol').fill('BTC');
    await page.getByTestId('rule-save').click();

    const idError = page.getByTestId('rule-error-id');
    await idError.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await idError.textContent()).toMatch(/a-z/);
    expect(await page.getByTestId('rule-field-id').getAttribute('aria-invalid')).toBe('true');
    // No threshold: the API names `severities`, shown at the thresholds group.
    expect(await page.getByTestId('rule-error-severities').isVisible()).toBe(true);
    expect(await page.getByTestId('rule-form-error').textContent()).toContain('correct the marked fields');
    expect(await page.getByTestId('rule-dialog').evaluate((dialog) => (dialog as HTMLDialogElement).open)).toBe(true);
    mkdirSync(IMAGES, { recursive: true });
    await page.screenshot({ path: join(IMAGES, 'console-rule-errors.png') });
    await page.keyboard.press('Escape');
    expect(problems.take().filter((problem) => !EXPECTED_400.test(problem))).toEqual([]);
  });

  it('raises an alert from a rule created in the form, and shows it with its history and actions', async () => {
    const symbol = uniqueSymbol();
    const ruleId = `e2e-${symbol.toLowerCase()}-above`;
    await page.getByTestId('rule-new').click();
    await page.getByTestId('rule-field-id').fill(ruleId);
    await page.getByTestId('rule-field-name').fill(`e2e: ${symbol} above 100`);
    await page.getByTestId('rule-field-symbol').fill(symbol);
    await page.getByTestId('rule-field-direction').selectOption('above');
    await page.getByTestId('rule-field-severities.S2').fill('100');
    await page.getByTestId('rule-field-annotations.summary').fill('{{symbol}} at {{price}}, above {{threshold}}');
    await page.getByTestId('rule-save').click();
    await page.getByTestId(`rule-${ruleId}`).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('rule-dialog').evaluate((dialog) => (dialog as HTMLDialogElement).open)).toBe(false);

    const { id } = await alertOf(ruleId, symbol, 150);
    await withAttribute(`alert-${id}`, 'data-status', 'firing').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.getByTestId(`alert-${id}`).getAttribute('data-severity')).toBe('S2');
    expect(await page.getByTestId(`alert-${id}-summary`).textContent()).toBe(`${symbol} at 150, above 100`);

    // Its history: raised by the rule.
    await page.getByTestId(`history-${id}`).click();
    await withAttribute('history-dialog', 'data-state', 'loaded').waitFor({ timeout: 10_000 });
    const raised = page.locator('[data-testid="history-list"] [data-type="alert.raised"]');
    expect(await raised.count()).toBe(1);
    expect(await raised.textContent()).toContain(`by rule:${ruleId}`);
    await page.getByTestId('history-close').click();

    // The filters narrow the list to it.
    await page.getByTestId('alert-filter-rule').selectOption(ruleId);
    await page.getByTestId('alert-filter-severity').selectOption('S3');
    expect(await page.getByTestId(`alert-${id}`).count()).toBe(0);
    await page.getByTestId('alert-filter-severity').selectOption('S2');
    expect(await page.locator('[data-testid="alerts-list"] > li').count()).toBe(1);
    await page.getByTestId('alert-filter-rule').selectOption('');
    await page.getByTestId('alert-filter-severity').selectOption('');

    await page.getByTestId(`ack-${id}`).click();
    await withAttribute(`alert-${id}`, 'data-status', 'acknowledged').waitFor({ timeout: 10_000 });
    expect(await api.getAlert(id)).toEqual(expect.objectContaining({ status: 'acknowledged', acknowledgedBy: `user:${SUBJECT}` }));
    expect(await page.getByTestId(`ack-${id}`).isDisabled()).toBe(true);

    await page.getByTestId(`snooze-minutes-${id}`).selectOption('30');
    const snoozedAt = Date.now();
    await page.getByTestId(`snooze-${id}`).click();
    await withAttribute(`alert-${id}`, 'data-status', 'snoozed').waitFor({ timeout: 10_000 });
    const snoozed = await api.getAlert(id);
    expect(snoozed.status).toBe('snoozed');
    expect(Math.abs(Date.parse(snoozed.snoozedUntil ?? '') - (snoozedAt + 30 * 60_000))).toBeLessThan(60_000);

    await page.getByTestId(`resolve-${id}`).click();
    await withAttribute(`alert-${id}`, 'data-status', 'resolved').waitFor({ timeout: 10_000 });
    expect((await api.getAlert(id)).status).toBe('resolved');
    for (const button of ['ack', 'snooze', 'resolve']) expect(await page.getByTestId(`${button}-${id}`).isDisabled()).toBe(true);
    await page.getByTestId('alerts-empty').waitFor({ state: 'visible', timeout: 5_000 });

    // The rule's switch disables it through the API.
    await page.getByTestId(`rule-toggle-${ruleId}`).click();
    await withAttribute(`rule-${ruleId}`, 'data-enabled', 'false').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`rule-toggle-${ruleId}`).getAttribute('aria-checked')).toBe('false');
  }, 90_000);

  it('mutes an alert with a silence created in the form: its next change is stored, not notified', async () => {
    const symbol = uniqueSymbol();
    const ruleId = `e2e-${symbol.toLowerCase()}-silenced`;
    await api.createRule({ id: ruleId, name: `e2e: ${symbol} above 100`, kind: 'price_threshold', symbol, direction: 'above', severities: { S2: 100, S3: 200 } });
    const { id } = await alertOf(ruleId, symbol, 150);
    await withAttribute(`alert-${id}`, 'data-silenced', 'false').waitFor({ state: 'visible', timeout: 10_000 });

    // The alert's Silence button opens the form with matchers for its rule and symbol.
    await page.getByTestId(`silence-${id}`).click();
    expect(await page.getByTestId('silence-field-matchers[0].name').inputValue()).toBe('rule');
    expect(await page.getByTestId('silence-field-matchers[0].value').inputValue()).toBe(ruleId);
    expect(await page.getByTestId('silence-field-matchers[1].value').inputValue()).toBe(symbol);
    await page.getByTestId('silence-field-comment').fill(`e2e: ${symbol} maintenance`);
    await page.getByTestId('silence-save').click();
    const silence = await waitFor(async () => (await api.listSilences()).find((s) => s.comment === `e2e: ${symbol} maintenance`), {
      timeoutMs: 10_000,
      message: 'the silence in the API',
    });
    expect(silence.state).toBe('active');
    await withAttribute(`silence-${silence.id}`, 'data-state', 'active').waitFor({ timeout: 10_000 });

    // The next change of the alert (to S3) is silenced: stored and shown, not notified.
    await waitFor(
      async () => {
        const alert = await api.getAlert(id);
        if (alert.severity !== 'S3') await publishPrice(symbol, 250);
        return alert.severity === 'S3';
      },
      { timeoutMs: 20_000, intervalMs: 500, message: 'the alert at S3' },
    );
    await withAttribute(`alert-${id}`, 'data-severity', 'S3').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId(`alert-${id}`).getAttribute('data-silenced')).toBe('true');
    expect(await page.getByTestId(`alert-${id}-silenced`).isVisible()).toBe(true);
    const history = await api.history(id);
    expect(history.at(-1)).toEqual(expect.objectContaining({ suppressedBy: 'silence', alert: expect.objectContaining({ severity: 'S3', silenced: true }) }));

    // Expired from the list: gone from it, expired in the API.
    await page.getByTestId(`silence-expire-${silence.id}`).click();
    await page.getByTestId(`silence-${silence.id}`).waitFor({ state: 'detached', timeout: 10_000 });
    expect((await api.listSilences()).find((s) => s.id === silence.id)?.state).toBe('expired');
  }, 90_000);

  it("shows a service's health changes from system_status events, live", async () => {
    const service = `e2e-probe-${randomBytes(4).toString('hex')}`;
    const report = (status: 'healthy' | 'degraded' | 'down', reason: string) =>
      publisher.publish('risk_events', createEvent({ type: 'system_status', source: '/e2e-test', subject: service, data: { service, instance: 'probe-1', status, reason } }));

    await report('degraded', 'e2e: 1 of 2 replicas up');
    await withAttribute(`health-${service}`, 'data-status', 'degraded').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await page.getByTestId(`health-${service}`).textContent()).toContain('e2e: 1 of 2 replicas up');

    await report('healthy', 'e2e: all replicas up');
    await withAttribute(`health-${service}`, 'data-status', 'healthy').waitFor({ state: 'visible', timeout: 5_000 });
  });

  it('is keyboard reachable: Tab reaches the New rule button, Enter opens its labelled form, Escape closes it and gives focus back', async () => {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.locator('body').focus();
    let reached = false;
    for (let tab = 0; tab < 60 && !reached; tab++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'rule-new');
    }
    expect(reached).toBe(true);
    // A visible focus ring.
    expect(await page.locator('#rule-new').evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await withAttribute('rule-dialog', 'open', '').waitFor({ timeout: 5_000 });
    expect(await page.evaluate(() => document.querySelector('#rule-dialog')?.contains(document.activeElement))).toBe(true);
    expect(await page.getByRole('dialog', { name: 'New rule' }).count()).toBe(1);
    expect(await page.getByRole('dialog', { name: 'New rule' }).getByLabel('Symbol').count()).toBe(1);
    await page.keyboard.press('Escape');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rule-new');
  });

  it('shows the next attempt\'s time while the gateway is down, then resumes without a gap and shows what was published meanwhile', async () => {
    const gateway = stack?.replicasOf('streaming-gateway')[0];
    if (gateway === undefined) throw new Error('the stack has no gateway');
    const symbol = uniqueSymbol();
    await gateway.stop();
    const banner = page.getByTestId('connection-banner');
    await withAttribute('connection-banner', 'data-state', 'reconnecting').waitFor({ state: 'attached', timeout: 10_000 });
    // The banner says when the SDK tries again: a time ahead, within its longest backoff (30 s).
    const retryAt = Number(await waitFor(() => banner.getAttribute('data-retry-at'), { timeoutMs: 10_000, message: 'a retry time' }));
    expect(retryAt).toBeGreaterThan(Date.now() - 1_000);
    expect(retryAt).toBeLessThan(Date.now() + 31_000);
    expect(await page.getByTestId('connection-text').textContent()).toMatch(/Reconnecting at \d\d:\d\d:\d\d \(in \d+ s\)/);

    await publishPrice(symbol, 55);
    await gateway.start();
    await withAttribute('connection-banner', 'data-resume', 'gapless').waitFor({ state: 'attached', timeout: 40_000 });
    await withAttribute(`price-${symbol}`, 'data-price', '55').waitFor({ timeout: 10_000 });
    // Chromium reports each refused WebSocket as a console error: those are expected here, and nothing else.
    expect(problems.take().filter((problem) => !/WebSocket connection to .* failed/.test(problem))).toEqual([]);
  }, 90_000);

  it('resumes the stream after a page reload without a gap', async () => {
    const symbol = uniqueSymbol();
    await publishPrice(symbol, 101);
    await withAttribute(`price-${symbol}`, 'data-price', '101').waitFor({ timeout: 5_000 });

    // Hold the reloaded page's script until prices were published with no page to receive them.
    let scriptRequested: () => void = () => undefined;
    const requested = new Promise<void>((resolve) => (scriptRequested = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/main.js', async (route) => {
      scriptRequested();
      await released;
      await route.continue();
    });
    const reloaded = page.reload();
    await requested;
    await publishPrice(symbol, 102);
    await publishPrice(symbol, 103);
    release();
    await reloaded;
    await page.unroute('**/main.js');

    await withAttribute('connection-banner', 'data-ready', 'true').waitFor({ state: 'attached', timeout: 30_000 });
    // Both prices published while the page was away came back, replayed in order...
    await withAttribute(`price-${symbol}`, 'data-price', '103').waitFor({ timeout: 10_000 });
    expect(await pointsOf(symbol)).toBe(2);
    // ...and every channel says it resumed without a gap.
    expect(await page.getByTestId('connection-banner').getAttribute('data-resume')).toBe('gapless');
    expect(await page.getByTestId('connection-text').textContent()).toContain('resumed without a gap');
  }, 60_000);

  it('passes an accessibility check (axe-core): no serious or critical violations, on the page and in the rule form', async () => {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> };
    const check = async () => {
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(context: Document): Promise<{ violations: AxeViolation[] }> } }).axe;
        return (await axe.run(document)).violations;
      });
      return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    };
    expect(await check()).toEqual([]);
    await page.getByTestId('rule-new').click();
    expect(await check()).toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('takes the screenshots of the docs at 1280 px and at a phone size', async () => {
    mkdirSync(IMAGES, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    const desktop = await page.screenshot({ path: join(IMAGES, 'console-1280.png') });
    await page.setViewportSize(PHONE);
    // The layout follows the width: one column, smaller price cards.
    await page.waitForFunction((width) => (document.querySelector('main')?.getBoundingClientRect().width ?? Infinity) <= width, PHONE.width);
    const phone = await page.screenshot({ path: join(IMAGES, 'console-phone.png') });
    await page.setViewportSize(DESKTOP);
    const size = (png: Buffer) => [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect([size(desktop), size(phone)]).toEqual([
      [DESKTOP.width, DESKTOP.height],
      [PHONE.width, PHONE.height],
    ]);
  });
});
