import { percentiles, type Percentiles } from './checks/percentiles';
import type { RecordingClient } from './recording-client';

/** Latency figures of a run, ms, split at the first fault. */
export interface ChaosLatency {
  /** Publish (the event's time) to client delivery on `market_data`, before the first fault. */
  readonly priceCalm: Percentiles;
  /** The same from the first fault on (replays after reconnects included). */
  readonly priceFaults: Percentiles;
  /** Alert raised (the `alert.raised` event's time) to client delivery, before the first fault. */
  readonly alertCalm: Percentiles;
  /** The same from the first fault on. */
  readonly alertFaults: Percentiles;
}

/** Publish-to-client and raise-to-client latencies of every client, split at `faultsAtMs`. */
export function measureLatency(clients: readonly RecordingClient[], faultsAtMs: number): ChaosLatency {
  const price: [number[], number[]] = [[], []];
  const alert: [number[], number[]] = [[], []];
  for (const client of clients) {
    for (const delivery of client.record('market_data').delivered) price[delivery.eventTimeMs < faultsAtMs ? 0 : 1].push(delivery.atMs - delivery.eventTimeMs);
    for (const delivery of client.record('alerts').delivered) {
      if (delivery.type === 'alert.raised') alert[delivery.eventTimeMs < faultsAtMs ? 0 : 1].push(delivery.atMs - delivery.eventTimeMs);
    }
  }
  return { priceCalm: percentiles(price[0]), priceFaults: percentiles(price[1]), alertCalm: percentiles(alert[0]), alertFaults: percentiles(alert[1]) };
}
