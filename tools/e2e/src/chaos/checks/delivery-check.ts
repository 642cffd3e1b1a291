import { compareStreamIds } from '@rebal/gateway-client';

/** What one client got on one channel (a whole stream). */
export interface ChannelRecord {
  /** The position its first subscribe started after (`since`): it must get every event after it. */
  readonly startAfter: string;
  /** What it delivered to the application, in order, with when. */
  readonly delivered: ReadonlyArray<{ readonly id: string; readonly atMs: number }>;
  /** Each `recovered: false` it was told, with how many deliveries it had made by then. */
  readonly notRecovered: ReadonlyArray<{ readonly atIndex: number; readonly reason: string }>;
  /** Event frames that reached the socket again after the client had delivered them (dropped by the client). */
  readonly wireDuplicates: number;
}

/** The verdict on one client's channel. */
export interface ChannelVerdict {
  readonly client: string;
  readonly channel: string;
  /** Events the stream had after `startAfter`. */
  readonly expected: number;
  readonly delivered: number;
  /** Expected events neither delivered nor covered by a `recovered: false`. */
  readonly lost: readonly string[];
  /** Events delivered twice to the application. */
  readonly duplicates: readonly string[];
  /** Deliveries whose id was not above the previous one. */
  readonly outOfOrder: number;
  /** Delivered ids the stream never had. */
  readonly phantoms: readonly string[];
  /** Expected events missed where the client was told `recovered: false`. */
  readonly excused: number;
  readonly wireDuplicates: number;
}

/**
 * Judges one client's channel against the stream's truth (every valid entry, in order): each
 * event after `startAfter` delivered exactly once, in order, unless it falls in a gap the
 * client was told about with `recovered: false` (between the last delivery before that notice
 * and the first one after it).
 */
export function checkChannel(client: string, channel: string, truth: readonly string[], record: ChannelRecord): ChannelVerdict {
  const ids = record.delivered.map((delivery) => delivery.id);
  const seen = new Set<string>();
  const duplicates: string[] = [];
  let outOfOrder = 0;
  ids.forEach((id, index) => {
    if (seen.has(id)) duplicates.push(id);
    seen.add(id);
    if (index > 0 && compareStreamIds(id, ids[index - 1] as string) <= 0) outOfOrder += 1;
  });
  const gaps = record.notRecovered.map(({ atIndex }) => ({
    after: atIndex > 0 ? (ids[atIndex - 1] as string) : record.startAfter,
    before: atIndex < ids.length ? (ids[atIndex] as string) : undefined,
  }));
  const excusedBy = (id: string) =>
    gaps.some((gap) => compareStreamIds(id, gap.after) > 0 && (gap.before === undefined || compareStreamIds(id, gap.before) < 0));
  const expected = truth.filter((id) => compareStreamIds(id, record.startAfter) > 0);
  const lost: string[] = [];
  let excused = 0;
  for (const id of expected) {
    if (seen.has(id)) continue;
    if (excusedBy(id)) excused += 1;
    else lost.push(id);
  }
  const inTruth = new Set(truth);
  const phantoms = [...seen].filter((id) => !inTruth.has(id));
  return { client, channel, expected: expected.length, delivered: ids.length, lost, duplicates, outOfOrder, phantoms, excused, wireDuplicates: record.wireDuplicates };
}

/** Totals over many verdicts. */
export interface DeliveryTotals {
  readonly channels: number;
  readonly expected: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly outOfOrder: number;
  readonly phantoms: number;
  readonly excused: number;
  readonly wireDuplicates: number;
}

/** Sums verdicts. */
export function totalDeliveries(verdicts: readonly ChannelVerdict[]): DeliveryTotals {
  const sum = (pick: (verdict: ChannelVerdict) => number) => verdicts.reduce((total, verdict) => total + pick(verdict), 0);
  return {
    channels: verdicts.length,
    expected: sum((v) => v.expected),
    delivered: sum((v) => v.delivered),
    lost: sum((v) => v.lost.length),
    duplicates: sum((v) => v.duplicates.length),
    outOfOrder: sum((v) => v.outOfOrder),
    phantoms: sum((v) => v.phantoms.length),
    excused: sum((v) => v.excused),
    wireDuplicates: sum((v) => v.wireDuplicates),
  };
}
