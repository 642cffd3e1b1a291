import { createEvent, createRedisConnection, parseRedisConfig, StreamPublisher, type RedisConnection } from '@rebal/redis-client';
import { Registry } from 'prom-client';
import { priceAt, type SymbolPlan } from './price-plan';

/** Options of {@link PriceDriver}. */
export interface PriceDriverOptions {
  /** Redis variables of the producer user. */
  env: Record<string, string>;
  plans: readonly SymbolPlan[];
  /** Pause between ticks, ms. */
  tickMs: number;
  /** Ticks to publish. */
  ticks: number;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Publishes the run's planned prices to `market_data` as a producer job would (one
 * `price_update` per symbol per tick, through `StreamPublisher`), on a fixed clock, through
 * every fault: a publish that fails is retried until it succeeds, so a tick may come late but
 * never goes missing. It also plays the foreign producer that appends poisoned entries.
 */
export class PriceDriver {
  /** Publishes Redis acknowledged. */
  published = 0;
  /** Publishes that failed and were retried (Redis away or paused). */
  retries = 0;
  /** When each symbol's first price at or above the threshold was acknowledged, ms since the epoch. */
  readonly crossedAtMs = new Map<string, number>();
  /** Ids of the poisoned entries appended, with what is wrong with them. */
  readonly poisoned: Array<{ id: string; kind: string }> = [];
  private readonly connection: RedisConnection;
  private readonly publisher: StreamPublisher;
  private stopped = false;
  /** Resolves once every tick is published (or the driver stopped). */
  readonly done: Promise<void>;

  constructor(private readonly options: PriceDriverOptions) {
    this.connection = createRedisConnection(parseRedisConfig(options.env).main, { name: 'e2e-price-driver' });
    this.publisher = new StreamPublisher({ redis: this.connection, registry: new Registry() });
    this.done = this.run();
  }

  /** Appends one poisoned entry of each kind to `market_data` (append-only, as a foreign producer). */
  async poison(): Promise<void> {
    const time = new Date().toISOString();
    const entries: Array<[string, string[]]> = [
      ['not-json', ['specversion', '1.0', 'id', `poison-json-${Date.now()}`, 'type', 'price_update', 'source', '/foreign', 'time', time, 'data', '{"symbol": "CX01", price']],
      ['missing-fields', ['data', '{"symbol":"CX01","price":1}']],
      ['schema', ['specversion', '1.0', 'id', `poison-schema-${Date.now()}`, 'type', 'price_update', 'source', '/foreign', 'time', time, 'subject', 'CX01', 'data', '{"symbol":"CX01","price":"a lot"}']],
    ];
    for (const [kind, fields] of entries) {
      const id = await this.retry(() => this.connection.xadd('market_data', '*', ...fields) as Promise<string>);
      if (id !== undefined) this.poisoned.push({ id, kind });
    }
  }

  /** Stops publishing and closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
    this.connection.disconnect();
  }

  private async run(): Promise<void> {
    const startedAt = Date.now();
    for (let tick = 0; tick < this.options.ticks && !this.stopped; tick += 1) {
      const due = startedAt + tick * this.options.tickMs;
      if (due > Date.now()) await wait(due - Date.now());
      for (const plan of this.options.plans) {
        const price = priceAt(plan, tick);
        const event = createEvent({ type: 'price_update', source: '/e2e/price-driver', subject: plan.symbol, data: { symbol: plan.symbol, price, currency: 'USD' } });
        const id = await this.retry(() => this.publisher.publish('market_data', event));
        if (id === undefined) return;
        this.published += 1;
        if (price >= 100 && !this.crossedAtMs.has(plan.symbol)) this.crossedAtMs.set(plan.symbol, Date.now());
      }
    }
  }

  /** Runs `publish` until it succeeds; undefined once stopped. */
  private async retry<T>(publish: () => Promise<T>): Promise<T | undefined> {
    while (!this.stopped) {
      try {
        return await publish();
      } catch {
        this.retries += 1;
        await wait(200);
      }
    }
    return undefined;
  }
}
