import { randomUUID } from 'node:crypto';
import { createEvent, encodeEvent, type CloudEvent, type RedisConnection, type StreamName } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import { tickDueAtMs, type RuleState } from '../../rules';
import type { AlertStore, AlertStoreOptions, CommittedChange } from '../../store';
import { newStore } from '../../store/test/store-test-kit';
import { partitionOf } from '../../engine';
import { AlertProcessor, type AlertProcessorOptions, type EntryOutcome } from '../alert-processor';
import { RulesProvider } from '../rules-provider';

/** The input stream of each evaluated event type. */
const STREAM_OF_TYPE: Readonly<Record<string, StreamName>> = {
  price_update: 'market_data',
  portfolio_snapshot: 'portfolio_updates',
  rebalance_executed: 'portfolio_updates',
  risk_metric: 'risk_events',
  system_status: 'risk_events',
  feed_status: 'risk_events',
};

/** What processing one event did, as the tests read it. */
export interface ProcessOutcome {
  status: EntryOutcome['status'];
  changes: CommittedChange[];
  reason?: string;
}

/** The processor as the tests drive it: one event at a time through its stream, ticks by hand. */
export interface TestProcessor {
  /** Appends the event to its input stream and has the processor read and handle it (an event already appended is delivered again: the same entry). */
  process(event: CloudEvent): Promise<ProcessOutcome>;
  /** One ticker pass at `nowMs` (default: the clock). */
  tickOnce(nowMs?: number): Promise<CommittedChange[]>;
  /** One round: checkpoints what is held, renews, takes free partitions. */
  syncOnce(): Promise<void>;
  /** The processor itself. */
  readonly replica: AlertProcessor;
}

/** A store, its rules, and a processor holding every partition, all on fresh keys. */
export interface ProcessorHarness {
  store: AlertStore;
  rules: RulesProvider;
  processor: TestProcessor;
  registry: Registry;
  /** Input stream keys by name. */
  streams: Readonly<Record<'market_data' | 'portfolio_updates' | 'risk_events', string>>;
  /** Changes passed to `onChanges`, in order. */
  notified: CommittedChange[];
  /**
   * The rule state of (rule, fingerprint) as the engine holds it (an inactive one that is not
   * held: `{phase: 'inactive'}`), with its writes so far; `undefined` when it never was.
   */
  stateOf(ruleId: string, fingerprint: string): { state: RuleState; version: number } | undefined;
  /** Prices of `symbol` held by the partition that owns it (0 when none, or not owned). */
  pricePoints(symbol: string): number;
  /** When the ticker looks at (rule, fingerprint) next, wall clock (its event-time due plus its frame offset); `undefined`: no timer. */
  dueAt(ruleId: string, fingerprint: string): number | undefined;
  /** Runs the processor as the service does (readers on their own blocking connections, the loop) until the returned stop is called. */
  startLive(connect: () => RedisConnection): Promise<() => Promise<void>>;
}

/** Options of {@link processorHarness}. */
export interface ProcessorHarnessOptions {
  /** Share this store's keys (another replica of the same deployment). */
  store?: AlertStore;
  storeOptions?: Partial<AlertStoreOptions>;
  clock?: () => number;
  /** Input stream keys (default: new ones per harness, or those of `shareStreams`). */
  shareStreams?: ProcessorHarness['streams'];
  /** This replica's instance id (default `replica-<random>`). */
  instanceId?: string;
  processorOptions?: Partial<Pick<AlertProcessorOptions, 'maxClockSkewMs' | 'deadLetters' | 'leaseTtlMs' | 'tickIntervalMs'>>;
}

/** Builds a harness; its processor takes every free partition at its first event. */
export function processorHarness(redis: RedisConnection, options: ProcessorHarnessOptions = {}): ProcessorHarness {
  const registry = new Registry();
  const store = options.store
    ? newStore(redis, { alertsStream: options.store.keys.stream, registry, ...options.storeOptions })
    : newStore(redis, { registry, ...options.storeOptions });
  const rules = new RulesProvider({ store, refreshIntervalMs: 0, clock: options.clock });
  const base = `${store.keys.stream}:in`;
  const streams = options.shareStreams ?? { market_data: `${base}:market_data`, portfolio_updates: `${base}:portfolio_updates`, risk_events: `${base}:risk_events` };
  const notified: CommittedChange[] = [];
  const replica = new AlertProcessor({
    store,
    rules,
    redis,
    streams: (Object.keys(streams) as Array<keyof typeof streams>).map((name) => ({ name, key: streams[name] })),
    group: 'alert-service',
    instanceId: options.instanceId ?? `replica-${randomUUID().slice(0, 8)}`,
    partitions: 16,
    leaseTtlMs: 30_000,
    registry,
    clock: options.clock,
    ...options.processorOptions,
    onChanges: (changes) => {
      notified.push(...changes);
    },
  });
  const appended = new Map<CloudEvent, { stream: string; id: string }>();
  let synced = false;
  const processor: TestProcessor = {
    replica,
    async process(event) {
      if (!synced) {
        await replica.syncOnce();
        synced = true;
      }
      await replica.followRules();
      const before = appended.get(event);
      let stream: string;
      let id: string;
      let outcomes: EntryOutcome[];
      if (before) {
        ({ stream, id } = before);
        const [[, fields]] = (await redis.xrange(stream, id, id)) as Array<[string, string[]]>;
        outcomes = await replica.handleBatch(stream, [[id, fields]]);
      } else {
        stream = streams[STREAM_OF_TYPE[event.type] as keyof typeof streams] ?? streams.market_data;
        id = (await redis.xadd(stream, '*', ...encodeEvent(event))) as string;
        appended.set(event, { stream, id });
        outcomes = await replica.pollOnce();
      }
      const outcome = outcomes.find((candidate) => candidate.stream === stream && candidate.id === id);
      if (!outcome) throw new Error(`the processor did not handle ${stream} ${id}`);
      return { status: outcome.status, changes: [...outcome.changes], ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) };
    },
    async tickOnce(nowMs) {
      if (!synced) {
        await replica.syncOnce();
        synced = true;
      }
      return replica.tickOnce(nowMs);
    },
    async syncOnce() {
      await replica.syncOnce();
      synced = true;
    },
  };
  return {
    store,
    rules,
    processor,
    registry,
    streams,
    notified,
    stateOf(ruleId, fingerprint) {
      const held = replica.engine.held(`${ruleId}|${fingerprint}`);
      return held ? { state: held.state, version: held.version } : undefined;
    },
    dueAt(ruleId, fingerprint) {
      const held = replica.engine.held(`${ruleId}|${fingerprint}`);
      const rule = replica.engine.rules.get(ruleId);
      const dueAtMs = held && rule ? tickDueAtMs(rule, held.state) : undefined;
      return held && dueAtMs !== undefined ? dueAtMs + held.frameOffsetMs : undefined;
    },
    async startLive(connect) {
      const readers = new Map(Object.values(streams).map((key) => [key, connect()]));
      await replica.start(readers, 50);
      synced = true;
      return async () => {
        await replica.stop();
        for (const reader of readers.values()) reader.disconnect();
      };
    },
    pricePoints(symbol) {
      return replica.engine.partitions.get(partitionOf(symbol, 16))?.prices.pointsOf(symbol) ?? 0;
    },
  };
}

const iso = (atMs: number) => new Date(atMs).toISOString();

/** A `price_update` event at `atMs`. */
export function priceEvent(symbol: string, price: number, atMs: number, id: string = randomUUID()): CloudEvent {
  return createEvent({ id, type: 'price_update', source: '/test', subject: symbol, time: iso(atMs), data: { symbol, price, currency: 'USD' } });
}

/** A `portfolio_snapshot` of two holdings (weights of `BTC` and `ETH` summing to 1) against 50/50 targets. */
export function snapshotEvent(portfolioId: string, btcWeight: number, atMs: number): CloudEvent {
  const total = 100_000;
  return createEvent({
    type: 'portfolio_snapshot',
    source: '/test',
    subject: portfolioId,
    time: iso(atMs),
    data: {
      portfolioId,
      totalValue: total,
      holdings: [
        { symbol: 'BTC', quantity: 1, value: total * btcWeight },
        { symbol: 'ETH', quantity: 1, value: total * (1 - btcWeight) },
      ],
      targets: { BTC: 0.5, ETH: 0.5 },
    },
  });
}

/** A `risk_metric` event. */
export function riskEvent(portfolioId: string, metric: string, value: number, atMs: number): CloudEvent {
  return createEvent({ type: 'risk_metric', source: '/test', subject: portfolioId, time: iso(atMs), data: { portfolioId, metric, value } });
}

/** A `system_status` event. */
export function statusEvent(service: string, status: 'healthy' | 'degraded' | 'down', atMs: number): CloudEvent {
  return createEvent({ type: 'system_status', source: '/test', subject: service, time: iso(atMs), data: { service, status, reason: `is ${status}` } });
}

/** A `feed_status` event at `atMs`, as the health monitor announces it (subject `<stream>:<subject>`, or `<stream>`). */
export function feedEvent(stream: string, subject: string | undefined, status: 'stale' | 'fresh', atMs: number, expectedIntervalMs = 5_000, lastEventAtMs = atMs - expectedIntervalMs * 1.5): CloudEvent {
  const since = status === 'stale' ? atMs : lastEventAtMs;
  return createEvent({
    type: 'feed_status',
    source: '/health-monitor',
    subject: subject === undefined ? stream : `${stream}:${subject}`,
    time: iso(atMs),
    data: { stream, ...(subject === undefined ? {} : { subject }), status, lastEventAt: iso(lastEventAtMs), expectedIntervalMs, since: iso(since) },
  });
}
