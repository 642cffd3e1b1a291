import type { StreamReport } from '../collectors';

/** Recent pending counts per `stream key` + `group`, oldest first (kept between checks). */
export type PendingHistory = ReadonlyMap<string, readonly number[]>;

/** The history key of a group. */
export function pendingKey(stream: string, group: string): string {
  return `${stream}\n${group}`;
}

/**
 * Appends this check's pending count of every group to `history`, keeping the last
 * `growthChecks + 1` samples; groups that disappeared are dropped. Pure: returns a new map.
 */
export function updatePendingHistory(history: PendingHistory, streams: readonly StreamReport[], growthChecks: number): Map<string, number[]> {
  const next = new Map<string, number[]>();
  for (const stream of streams) {
    for (const group of stream.groups) {
      const key = pendingKey(stream.key, group.name);
      next.set(key, [...(history.get(key) ?? []), group.pending].slice(-(growthChecks + 1)));
    }
  }
  return next;
}

/** True when the samples grew at each of the last `growthChecks` checks (so `growthChecks + 1` samples, strictly increasing). */
export function isGrowing(samples: readonly number[] | undefined, growthChecks: number): boolean {
  if (!samples || samples.length < growthChecks + 1) return false;
  const recent = samples.slice(-(growthChecks + 1));
  return recent.every((value, i) => i === 0 || value > recent[i - 1]);
}
