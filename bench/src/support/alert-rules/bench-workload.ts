import type Redis from 'ioredis';
import { createEvent, encodeEvent } from '@rebal/redis-client';

/** One workload of the alert-rules benchmark. */
export interface AlertWorkload {
  /** Row name, e.g. `100,000 rules / 1,000 symbols, quiet`. */
  readonly name: string;
  readonly symbols: number;
  readonly rulesPerSymbol: number;
  /** True: 5 % of the rules sit inside the prices' swing and cross back and forth. */
  readonly crossing: boolean;
  /** Price events preloaded (spread evenly over the symbols, one per second of event time each). */
  readonly events: number;
}

/** Period of each symbol's price swing, in events of that symbol. */
const SWING_PERIOD = 20;
/** Amplitude of the swing around 100, in price units (the quiet rules sit far outside it). */
const SWING = 3;

const symbolOf = (n: number) => `B${n}`;

/**
 * The rules of a workload, `rulesPerSymbol` on each symbol, all S1 (no escalation bursts):
 * half price thresholds (above 130 to 180, below 20 to 70: never reached by prices swinging
 * 97 to 103) and half price moves (up or down 10 % to 50 % over 1, 4, 9, 16 or 25 minutes:
 * never reached either). With `crossing`, 5 % of each symbol's rules are thresholds inside the
 * swing instead (above 100.5 to 102.5, below 97.5 to 99.5, no hysteresis), so each of them
 * raises and resolves once per swing.
 */
export function workloadRules(workload: AlertWorkload): unknown[] {
  const rules: unknown[] = [];
  const crossingPerSymbol = workload.crossing ? Math.round(workload.rulesPerSymbol * 0.05) : 0;
  for (let n = 0; n < workload.symbols; n += 1) {
    const symbol = symbolOf(n);
    const id = symbol.toLowerCase();
    for (let k = 0; k < workload.rulesPerSymbol; k += 1) {
      if (k < crossingPerSymbol) {
        const above = k % 2 === 0;
        const offset = 0.5 + (Math.floor(k / 2) % 5) * 0.5;
        rules.push({ id: `${id}-cross-${k}`, name: `${symbol} crossing ${k}`, kind: 'price_threshold', symbol, direction: above ? 'above' : 'below', severities: { S1: above ? 100 + offset : 100 - offset } });
      } else if (k % 2 === 0) {
        const above = k % 4 === 0;
        const level = above ? 130 + (k % 50) : 70 - (k % 50);
        rules.push({ id: `${id}-level-${k}`, name: `${symbol} level ${k}`, kind: 'price_threshold', symbol, direction: above ? 'above' : 'below', severities: { S1: level }, keepFiringSeconds: 60 });
      } else {
        const minutes = [1, 4, 9, 16, 25][k % 5] as number;
        rules.push({ id: `${id}-move-${k}`, name: `${symbol} move ${k}`, kind: 'price_change', symbol, direction: k % 4 === 1 ? 'up' : 'down', windowSeconds: 60 * minutes, severities: { S1: 10 + (k % 41) } });
      }
    }
  }
  return rules;
}

/** Event time of the first event when `events` events of `workload` are to end about now. */
export function firstEventTime(workload: AlertWorkload, events: number): number {
  return Date.now() - Math.ceil(events / workload.symbols) * 1000;
}

/**
 * Appends `count` price events of `workload` to `stream` (pipelined), starting with event number
 * `from`: symbols interleaved, each symbol's price swinging around 100 with a period of 20 of its
 * events and a little noise, one event per second of event time per symbol from `t0` on.
 */
export async function appendPriceEvents(redis: Redis, stream: string, workload: AlertWorkload, from: number, count: number, t0: number): Promise<void> {
  for (let start = from; start < from + count; start += 1000) {
    const pipeline = redis.pipeline();
    for (let i = start; i < Math.min(from + count, start + 1000); i += 1) {
      const n = i % workload.symbols;
      const round = Math.floor(i / workload.symbols);
      const swing = SWING * Math.sin((2 * Math.PI * round) / SWING_PERIOD + n);
      const price = Number((100 + swing + Math.sin(i * 12.9898) * 0.05).toFixed(4));
      const event = createEvent({ type: 'price_update', source: '/bench', subject: symbolOf(n), time: new Date(t0 + round * 1000).toISOString(), data: { symbol: symbolOf(n), price, currency: 'USD' } });
      pipeline.xadd(stream, 'MAXLEN', '~', '1000000', '*', ...encodeEvent(event));
    }
    await pipeline.exec();
  }
}
