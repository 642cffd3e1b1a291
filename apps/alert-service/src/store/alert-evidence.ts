import { decodeEntry, streamIdMs, type CloudEvent } from '@rebal/redis-client';
import type { AlertEvidence, AlertRecord } from '../alerts';
import { fieldOf } from '../processing/stream-reader';
import type { StoreContext } from './store-context';

/** How far before and after the raise the price series of a price alert's evidence reaches, ms. */
export const EVIDENCE_PRICE_WINDOW_MS = 120_000;
/** Stream entries read at most on each side of the raise for that series (each side one command). */
const PRICE_SCAN_COUNT = 5_000;
/** Price points returned at most (evenly thinned beyond). */
export const MAX_EVIDENCE_PRICES = 500;

/** One evidence entry with its event, as long as the stream still holds it. */
export interface EvidenceItem extends AlertEvidence {
  /** `stream`: the event was read back from its stream; `record`: the stream trimmed it, only the values the alert kept are left. */
  source: 'stream' | 'record';
  /** The event itself (`source: stream`). */
  event?: CloudEvent;
}

/** One price of the symbol around the raise. */
export interface EvidencePrice {
  /** Its stream entry id. */
  id: string;
  /** Its event time, epoch ms. */
  at: number;
  price: number;
}

/** What `GET /alerts/{id}/evidence` answers. */
export interface AlertEvidenceView {
  /** The alert's evidence entries, oldest first, each with its event while the stream holds it. */
  items: EvidenceItem[];
  /**
   * A price alert's symbol prices from {@link EVIDENCE_PRICE_WINDOW_MS} before to as long after its raise
   * (from the raise's stream while it holds them; empty after), for a chart around the trigger.
   */
  prices?: { symbol: string; points: EvidencePrice[] };
}

/**
 * Reads an alert's evidence back from the streams: each entry with `XRANGE <stream> <id> <id>`
 * (one command per entry; an entry the stream trimmed keeps its stored values), and for a price
 * alert the prices of its symbol around its raise (at most {@link PRICE_SCAN_COUNT} entries
 * read on each side). Read-only: nothing is written.
 */
export async function readAlertEvidence(ctx: StoreContext, alert: AlertRecord): Promise<AlertEvidenceView> {
  const entries = alert.evidence ?? [];
  const items = await Promise.all(
    entries.map(async (entry): Promise<EvidenceItem> => {
      const [found] = (await ctx.redis.xrange(entry.stream, entry.id, entry.id)) as Array<[string, string[]]>;
      const decoded = found ? decodeEntry(found[1]) : undefined;
      return decoded?.ok ? { ...entry, source: 'stream', event: decoded.event } : { ...entry, source: 'record' };
    }),
  );
  const view: AlertEvidenceView = { items };
  const symbol = alert.labels['symbol'];
  const trigger = entries[0];
  if ((alert.type === 'price_threshold' || alert.type === 'price_change') && symbol !== undefined && trigger !== undefined) {
    view.prices = { symbol, points: await pricesAround(ctx, trigger, symbol) };
  }
  return view;
}

async function pricesAround(ctx: StoreContext, trigger: AlertEvidence, symbol: string): Promise<EvidencePrice[]> {
  const ms = streamIdMs(trigger.id);
  if (ms === null || ms === undefined) return [];
  const [before, after] = (await Promise.all([
    ctx.redis.xrevrange(trigger.stream, trigger.id, String(Math.max(0, ms - EVIDENCE_PRICE_WINDOW_MS)), 'COUNT', PRICE_SCAN_COUNT),
    ctx.redis.xrange(trigger.stream, `(${trigger.id}`, String(ms + EVIDENCE_PRICE_WINDOW_MS), 'COUNT', PRICE_SCAN_COUNT),
  ])) as Array<Array<[string, string[]]>>;
  const points: EvidencePrice[] = [];
  for (const [id, fields] of [...(before ?? []).reverse(), ...(after ?? [])]) {
    // Only the symbol's entries are decoded: the others cost a look at their subject.
    if (fieldOf(fields, 'subject') !== symbol || fieldOf(fields, 'type') !== 'price_update') continue;
    const decoded = decodeEntry<{ symbol?: unknown; price?: unknown }>(fields);
    if (!decoded.ok || decoded.event.data.symbol !== symbol || typeof decoded.event.data.price !== 'number') continue;
    const at = Date.parse(decoded.event.time);
    if (Number.isFinite(at)) points.push({ id, at, price: decoded.event.data.price });
  }
  if (points.length <= MAX_EVIDENCE_PRICES) return points;
  const step = points.length / MAX_EVIDENCE_PRICES;
  return Array.from({ length: MAX_EVIDENCE_PRICES }, (_, i) => points[Math.floor(i * step)] as EvidencePrice);
}
