import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@rebal/redis-testing';
import { E2eStack } from '../stack';
import { findSecretLeaks, type SecretLeak } from '../security';
import { AlertApiClient } from '../support';
import { checkAlerts, type AlertVerdict } from './checks/alert-check';
import { checkChannel, totalDeliveries, type ChannelVerdict, type DeliveryTotals } from './checks/delivery-check';
import { readConsumption } from './checks/consumption';
import { readDeadLetters, type DeadLetterVerdict } from './checks/dead-letters';
import { describeFault, FAULT_KINDS, planFaults, type FaultKind } from './fault-schedule';
import { injectFault, type FaultRecord } from './fault-injector';
import { PriceDriver } from './price-driver';
import { chaosRules, expectedAlert, planSymbols, type SymbolPlan } from './price-plan';
import { RecordingClient } from './recording-client';
import { measureLatency, type ChaosLatency } from './latency';
import { judgeResources, readResources, type ResourceSnapshot } from './resources';
import { settle } from './settle';
import { StreamTap } from './stream-tap';

/** The client-facing streams every recording client subscribes to (whole-stream channels). */
export const CHAOS_CHANNELS = ['market_data', 'portfolio_updates', 'risk_events', 'alerts'] as const;

/** Options of {@link runChaos}. */
export interface ChaosRunOptions {
  /** Seed of the fault schedule and the price plan (default: random, reported). */
  seed?: number;
  /** Length of the calm phase before the first fault, ms: the no-fault baseline (default 15 s). */
  calmMs?: number;
  /** Length of the fault phase, ms (default 100 s). */
  faultPhaseMs?: number;
  /** Mean gap between faults, ms (default 15 s). */
  meanFaultGapMs?: number;
  /** WebSocket clients (default 20). */
  clients?: number;
  /** Driver symbols, one rule each (default 12). */
  symbols?: number;
  /** Driver tick, ms (default 500: one price per symbol per tick). */
  tickMs?: number;
  /** Simulator price events per second beside the driver (default 10). */
  simulatorRate?: number;
  /** How long the system may take to converge after the last fault (default 90 s). */
  settleTimeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/** Everything a run found. */
export interface ChaosReport {
  readonly seed: number;
  readonly options: Required<Omit<ChaosRunOptions, 'seed' | 'log'>>;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly faults: readonly FaultRecord[];
  /** Ms from the end of each fault until every service was ready and every client connected again. */
  readonly recoveryMs: readonly number[];
  readonly events: { readonly published: number; readonly byStream: Readonly<Record<string, number>>; readonly publisherRetries: number };
  readonly deliveries: DeliveryTotals;
  /** Verdicts with a problem (lost, duplicate, out of order, phantom), for the failure message. */
  readonly badChannels: readonly ChannelVerdict[];
  readonly clients: { readonly count: number; readonly reconnects: number; readonly resumed: number };
  readonly alerts: AlertVerdict;
  /** Alert-service consumer groups after settling: entries not yet read or not acknowledged. */
  readonly consumption: { readonly lag: number; readonly pending: number };
  /** Dead letters: what the run injected and what the DLQs hold. */
  readonly deadLetters: DeadLetterVerdict;
  readonly resources: { readonly before: ResourceSnapshot; readonly after: ResourceSnapshot; readonly problems: readonly string[] };
  readonly latency: ChaosLatency;
  /** Refusals in Redis's ACL LOG during the run: a service needing more than its user may. */
  readonly aclRefusals: number;
  readonly secretLeaks: readonly SecretLeak[];
  /** Every failed promise, one sentence each; empty when the run kept them all. */
  readonly problems: readonly string[];
}

const now = () => Date.now();

/**
 * One fault-injection run against the real stack: starts it (TLS Redis with ACL users, two
 * alert-service and two gateway replicas, the health monitor, the simulator), connects
 * recording clients, publishes planned prices through a calm phase and then a phase of
 * seeded faults, lets the system settle, and judges what happened. Always stops what it
 * started.
 */
export async function runChaos(options: ChaosRunOptions = {}): Promise<ChaosReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const settings = {
    calmMs: options.calmMs ?? 15_000,
    faultPhaseMs: options.faultPhaseMs ?? 100_000,
    meanFaultGapMs: options.meanFaultGapMs ?? 15_000,
    clients: options.clients ?? 20,
    symbols: options.symbols ?? 12,
    tickMs: options.tickMs ?? 500,
    simulatorRate: options.simulatorRate ?? 10,
    settleTimeoutMs: options.settleTimeoutMs ?? 90_000,
  };
  const log = options.log ?? (() => undefined);
  const startedAtMs = now();
  const ticks = Math.floor((settings.calmMs + settings.faultPhaseMs) / settings.tickMs);
  const calmTicks = Math.ceil(settings.calmMs / settings.tickMs);
  // Crossings happen in the fault phase, except one early in the calm phase: the no-fault baseline of alert latency.
  const plans = planSymbols({ seed, symbols: settings.symbols, ticks, firstCrossTick: calmTicks, earlyCrossTick: Math.ceil(calmTicks / 3) });
  const rulesDir = mkdtempSync(join(tmpdir(), 'rebal-chaos-'));
  const rulesFile = join(rulesDir, 'rules.json');
  writeFileSync(rulesFile, JSON.stringify(chaosRules(plans), null, 2));

  log(`seed ${seed}: starting the stack`);
  const stack = await E2eStack.start({
    alertReplicas: 2,
    gatewayReplicas: 2,
    env: {
      'alert-service': {
        ALERT_SEED_FILE: rulesFile,
        ALERT_SEED: 'true',
        CONSUMER_CLAIM_IDLE: '3s',
        CONSUMER_CLAIM_INTERVAL: '1s',
        HEARTBEAT_INTERVAL: '1s',
      },
      'streaming-gateway': { HEARTBEAT_INTERVAL: '1s', GATEWAY_PING_INTERVAL: '5s' },
      'health-monitor': {
        HEALTH_CHECK_INTERVAL: '1s',
        HEALTH_HEARTBEAT_TIMEOUT: '4s',
        HEALTH_REAP_GRACE: '8s',
        HEALTH_LEASE_TTL: '6s',
        HEARTBEAT_INTERVAL: '1s',
      },
      'market-simulator': { SIM_RATE: String(settings.simulatorRate), SIM_SEED: String(seed || 1) },
    },
  });
  const clients: RecordingClient[] = [];
  let tap: StreamTap | undefined;
  let driver: PriceDriver | undefined;
  try {
    const admin = stack.connect('default');
    const startAfter: Record<string, string> = {};
    for (const stream of CHAOS_CHANNELS) {
      const last = (await admin.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>;
      startAfter[stream] = last[0]?.[0] ?? '0-0';
    }
    tap = new StreamTap(stack.redis.env('default'), [...CHAOS_CHANNELS], startAfter);
    const clientToken = await stack.token({ channels: [...CHAOS_CHANNELS], subject: 'chaos-client', ttlSeconds: 3600 });
    const token = () => Promise.resolve(clientToken);
    for (let index = 1; index <= settings.clients; index += 1) {
      clients.push(await RecordingClient.start({ name: `client-${index}`, url: stack.gatewayUrl, token, channels: startAfter }));
    }
    await stack.redis.resetAclLog();
    const apiToken = await stack.token({ subject: 'chaos' });
    const api = () => new AlertApiClient(stack.alertApiUrl(), apiToken);
    const before = await readResources(stack, admin);
    log(`${settings.clients} clients connected; calm phase ${settings.calmMs} ms`);

    driver = new PriceDriver({ env: stack.redis.env('rebal-producer'), plans, tickMs: settings.tickMs, ticks });
    const faultsAtMs = now() + settings.calmMs;
    const acknowledging = acknowledgeWhenRaised(api, plans, faultsAtMs + settings.faultPhaseMs + settings.settleTimeoutMs);
    await waitUntil(faultsAtMs);

    const replicaNames = stack.replicas.map((replica) => replica.name);
    const plan = planFaults({
      seed,
      durationMs: settings.faultPhaseMs,
      replicas: replicaNames,
      rollingApps: ['alert-service', 'streaming-gateway'],
      killEachOf: ['alert-service', 'streaming-gateway'],
      clients: settings.clients,
      meanGapMs: settings.meanFaultGapMs,
    });
    const faults: FaultRecord[] = [];
    const recoveryMs: number[] = [];
    const poisonAt = new Set([0, Math.floor(plan.length / 2)]);
    for (const [index, fault] of plan.entries()) {
      await waitUntil(faultsAtMs + fault.atMs);
      log(`fault ${index + 1}/${plan.length}: ${describeFault(fault)}`);
      if (poisonAt.has(index)) await driver.poison();
      const reconnects = totalReconnects(clients);
      const record = await injectFault(stack, fault);
      faults.push(record);
      // A cut is over when the cut clients are back; every other fault, when everything is ready and connected again.
      const expectReconnects = fault.kind === 'client-cut' ? reconnects + (fault.count ?? 0) : 0;
      recoveryMs.push(await measureRecovery(stack, clients, expectReconnects, 60_000));
    }
    await waitUntil(faultsAtMs + settings.faultPhaseMs);
    await driver.done;
    log(`fault phase over (${faults.length} faults); settling`);
    for (const simulator of stack.replicasOf('market-simulator')) await simulator.stop();
    const settleDeadline = now() + settings.settleTimeoutMs;
    await acknowledging;
    const unsettled = await settle(stack, admin, tap, clients, CHAOS_CHANNELS, settleDeadline);
    const after = await readResources(stack, admin);

    // Judge.
    const verdicts: ChannelVerdict[] = [];
    for (const client of clients) {
      for (const channel of CHAOS_CHANNELS) verdicts.push(checkChannel(client.name, channel, tap.validIds(channel), client.record(channel)));
    }
    const deliveries = totalDeliveries(verdicts);
    const alertEvents = (tap.entries.get('alerts') ?? []).filter((e) => e.valid).map((e) => ({ eventId: e.eventId as string, type: e.type as string, alertId: e.subject as string }));
    const alerts = checkAlerts(plans, await api().listAlerts({ limit: '500' }), alertEvents);
    const consumption = await readConsumption(admin);
    const deadLetters = await readDeadLetters(admin, driver.poisoned.map((p) => p.id));
    const aclRefusals = (await stack.redis.aclLog()).length;
    const secretLeaks = findSecretLeaks(stack.outputs(), [...stack.secrets(), apiToken, clientToken]);
    const latency = measureLatency(clients, faultsAtMs);
    const resourceProblems = judgeResources(before, after);
    const problems = [
      ...unsettled.map((condition) => `did not settle within ${settings.settleTimeoutMs} ms: ${condition}`),
      ...(deliveries.lost > 0 ? [`${deliveries.lost} event deliveries lost`] : []),
      ...(deliveries.duplicates > 0 ? [`${deliveries.duplicates} events delivered twice`] : []),
      ...(deliveries.outOfOrder > 0 ? [`${deliveries.outOfOrder} events out of order`] : []),
      ...(deliveries.phantoms > 0 ? [`${deliveries.phantoms} delivered events the streams never had`] : []),
      ...alerts.problems,
      ...(consumption.lag > 0 || consumption.pending > 0 ? [`the alert service left ${consumption.lag} entries unread and ${consumption.pending} unacknowledged`] : []),
      ...(deadLetters.matched < deadLetters.injected ? [`${deadLetters.injected - deadLetters.matched} poisoned entries are not in market_data:dlq`] : []),
      ...deadLetters.unexpected.map((entry) => `unexpected dead letter: ${entry}`),
      ...resourceProblems,
      ...(aclRefusals > 0 ? [`${aclRefusals} ACL refusals: a service needed more than its Redis user may`] : []),
      ...secretLeaks.map((leak) => `secret leaked in ${leak.source} line ${leak.line} (${leak.form}): ${leak.excerpt}`),
      ...FAULT_KINDS.filter((kind: FaultKind) => !faults.some((f) => f.fault.kind === kind)).map((kind) => `no ${kind} fault was injected`),
    ];
    const byStream = Object.fromEntries(CHAOS_CHANNELS.map((stream) => [stream, tap?.validIds(stream).length ?? 0]));
    return {
      seed,
      options: settings,
      startedAt: new Date(startedAtMs).toISOString(),
      durationMs: now() - startedAtMs,
      faults,
      recoveryMs,
      events: { published: Object.values(byStream).reduce((a, b) => a + b, 0), byStream, publisherRetries: driver.retries },
      deliveries,
      badChannels: verdicts.filter((v) => v.lost.length + v.duplicates.length + v.outOfOrder + v.phantoms.length > 0),
      clients: {
        count: clients.length,
        reconnects: totalReconnects(clients),
        resumed: clients.reduce((sum, client) => sum + client.resumed, 0),
      },
      alerts,
      consumption,
      deadLetters,
      resources: { before, after, problems: resourceProblems },
      latency,
      aclRefusals,
      secretLeaks,
      problems,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
    await driver?.stop();
    await tap?.stop();
    await stack.stop();
    rmSync(rulesDir, { recursive: true, force: true });
  }
}

/** Resolves at `atMs` (ms since the epoch), at once when that has passed: the run's clock. */
function waitUntil(atMs: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, atMs - now())));
}

/** Reconnects of all clients so far. */
function totalReconnects(clients: readonly RecordingClient[]): number {
  return clients.reduce((sum, client) => sum + client.reconnects, 0);
}

/** Ms until (at least `reconnects` client reconnects happened and) every running replica answers /readyz 200 and every client is authenticated. */
async function measureRecovery(stack: E2eStack, clients: readonly RecordingClient[], reconnects: number, timeoutMs: number): Promise<number> {
  const started = now();
  await waitFor(
    async () => {
      if (totalReconnects(clients) < reconnects) return false;
      if (clients.some((client) => client.state !== 'authenticated')) return false;
      return (await stack.notReady()).length === 0;
    },
    { timeoutMs, intervalMs: 100, message: () => 'every replica ready and every client connected after a fault' },
  );
  return now() - started;
}

/** For each symbol whose fate is to be acknowledged: waits for its alert and acknowledges it, retrying through faults. */
async function acknowledgeWhenRaised(api: () => AlertApiClient, plans: readonly SymbolPlan[], deadlineMs: number): Promise<void> {
  const pending = new Set(plans.filter((plan) => expectedAlert(plan) === 'acknowledged').map((plan) => plan.symbol));
  while (pending.size > 0 && now() < deadlineMs) {
    for (const symbol of [...pending]) {
      try {
        const client = api();
        const [alert] = await client.listAlerts({ label: `symbol=${symbol}`, status: 'firing' });
        if (alert !== undefined) {
          await client.acknowledge(alert.id);
          pending.delete(symbol);
        }
      } catch {
        // The API is restarting or Redis is away: try again on the next round.
      }
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
