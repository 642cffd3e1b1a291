import type { InstanceRecord, StreamReport } from '../collectors';
import { silenceMs } from '../status';

/** Prefix of the gateway's fan-out groups: `gateway.<instance>`. */
export const FAN_OUT_GROUP_PREFIX = 'gateway.';

/** One deletion the reaper will make. */
export type ReapAction =
  | { kind: 'destroy-group'; stream: string; group: string; instance: string; reason: string }
  | { kind: 'delete-consumer'; stream: string; group: string; consumer: string; reason: string };

/** Input of {@link planReaping}. */
export interface PlanReapingInput {
  /** This check's streams with their groups and consumers. */
  streams: readonly StreamReport[];
  /** Every instance in the heartbeat registry. */
  records: readonly InstanceRecord[];
  /** Now, Unix ms. */
  nowMs: number;
  /** An instance silent longer than this is gone (ms). */
  graceMs: number;
  /** Since when the monitor could observe heartbeats (its start or Redis's return), Unix ms. */
  observingSinceMs: number;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/**
 * Decides what to delete. Pure. Every rule needs BOTH signals that an instance is gone, so a
 * live one is never touched:
 * - its heartbeats stopped more than `graceMs` ago (an instance never seen counts from
 *   `observingSinceMs`: the monitor must have watched for a whole grace period first), and
 * - Redis saw it read no sooner than `graceMs` ago (every consumer of it idle longer than that;
 *   a live reader blocks in XREADGROUP again every few seconds).
 *
 * Fan-out group `gateway.<instance>` of a gone instance: the whole group (XGROUP DESTROY; NOACK
 * groups hold nothing to lose). Consumer of a shared group named after a gone instance KNOWN from
 * its heartbeats, with nothing pending: XGROUP DELCONSUMER. One with pending entries is left
 * until the live consumers claimed them (deleting it would drop them from the pending list);
 * consumers of unknown names are not ours to judge.
 */
export function planReaping(input: PlanReapingInput): ReapAction[] {
  const byInstance = new Map<string, InstanceRecord>();
  for (const record of input.records) {
    const known = byInstance.get(record.instance);
    if (!known || known.lastSeenMs < record.lastSeenMs) byInstance.set(record.instance, record);
  }
  const silence = (instance: string): number => {
    const record = byInstance.get(instance);
    return record ? silenceMs(record, input.nowMs, input.observingSinceMs) : input.nowMs - input.observingSinceMs;
  };
  const actions: ReapAction[] = [];
  for (const stream of input.streams) {
    for (const group of stream.groups) {
      if (group.name.startsWith(FAN_OUT_GROUP_PREFIX)) {
        const instance = group.name.slice(FAN_OUT_GROUP_PREFIX.length);
        const silent = silence(instance);
        if (instance && silent > input.graceMs && group.consumers.every((c) => c.idleMs > input.graceMs)) {
          const since = byInstance.has(instance) ? `no heartbeat for ${seconds(silent)}` : `never seen in ${seconds(silent)}`;
          actions.push({ kind: 'destroy-group', stream: stream.key, group: group.name, instance, reason: `instance ${instance}: ${since}` });
        }
        continue;
      }
      for (const consumer of group.consumers) {
        if (!byInstance.has(consumer.name) || consumer.pending > 0) continue;
        const silent = silence(consumer.name);
        if (silent > input.graceMs && consumer.idleMs > input.graceMs) {
          actions.push({
            kind: 'delete-consumer', stream: stream.key, group: group.name, consumer: consumer.name,
            reason: `instance ${consumer.name}: no heartbeat for ${seconds(silent)}, idle for ${seconds(consumer.idleMs)}, nothing pending`,
          });
        }
      }
    }
  }
  return actions;
}

/** Instances of the registry silent longer than `forgetAfterMs`: to be forgotten. Pure. */
export function instancesToForget(records: readonly InstanceRecord[], nowMs: number, forgetAfterMs: number): InstanceRecord[] {
  return records.filter((record) => nowMs - record.lastSeenMs > forgetAfterMs);
}
