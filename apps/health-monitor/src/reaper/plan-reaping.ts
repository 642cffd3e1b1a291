import { compareStreamIds } from '@rebal/redis-client';
import type { GroupReport, InstanceRecord, StreamReport } from '../collectors';
import { silenceMs } from '../status';

/** Prefix of the gateway's fan-out groups: `gateway.<instance>`. */
export const FAN_OUT_GROUP_PREFIX = 'gateway.';

/** One deletion the reaper will make. */
export type ReapAction =
  | { kind: 'destroy-group'; stream: string; group: string; instance: string; lastDeliveredId: string; reason: string }
  | { kind: 'delete-consumer'; stream: string; group: string; consumer: string; reason: string };

/** Input of {@link planReaping}. */
export interface PlanReapingInput {
  /** This check's streams with their groups and consumers. */
  streams: readonly StreamReport[];
  /** Every instance in the heartbeat registry. */
  records: readonly InstanceRecord[];
  /** Now on the Redis clock (the clock of the heartbeats' stream ids), Unix ms. */
  nowMs: number;
  /** An instance silent longer than this is gone (ms). */
  graceMs: number;
  /** Since when the monitor could observe heartbeats (its start or Redis's return), Unix ms. */
  observingSinceMs: number;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

/** True when the stream holds entries past the group's last delivered id: something waits for its reader. */
function hasUndelivered(stream: StreamReport, group: GroupReport): boolean {
  return stream.length > 0 && stream.lastGeneratedId !== undefined && compareStreamIds(group.lastDeliveredId, stream.lastGeneratedId) < 0;
}

/**
 * Decides what to delete. Pure. Every rule needs BOTH signals that an instance is gone, so a
 * live one is never touched:
 * - its heartbeats stopped more than `graceMs` ago on the Redis clock (an instance never seen
 *   counts from `observingSinceMs`: the monitor must have watched for a whole grace period first), and
 * - Redis shows it does not read. For a fan-out group `gateway.<instance>`: entries wait that the
 *   group was not given (a reader blocked on the group gets each entry the moment it is added),
 *   and no consumer of it was seen within the grace period. A consumer's idle time alone proves
 *   nothing on Redis 7.0: a blocked XREADGROUP that returns nothing neither refreshes it nor
 *   creates the consumer, so a group with nothing waiting is never a candidate. For a consumer
 *   of a shared group: idle longer than `graceMs`, with nothing pending.
 *
 * These are candidates: the Reaper destroys a group only once it has seen entries waiting for it,
 * at the same last delivered id, for longer than the grace period, and runs each deletion in a
 * script that checks Redis again at that moment.
 *
 * Fan-out group of a gone instance: the whole group (XGROUP DESTROY; NOACK groups hold nothing
 * to lose). Consumer of a shared group named after a gone instance KNOWN from its heartbeats,
 * with nothing pending: XGROUP DELCONSUMER. One with pending entries is left until the live
 * consumers claimed them (deleting it would drop them from the pending list); consumers of
 * unknown names are not ours to judge.
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
        if (instance && silent > input.graceMs && hasUndelivered(stream, group) && group.consumers.every((c) => c.idleMs > input.graceMs)) {
          const since = byInstance.has(instance) ? `no heartbeat for ${seconds(silent)}` : `never seen in ${seconds(silent)}`;
          actions.push({ kind: 'destroy-group', stream: stream.key, group: group.name, instance, lastDeliveredId: group.lastDeliveredId, reason: `instance ${instance}: ${since}, entries wait unread` });
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

/** Instances of the registry silent longer than `forgetAfterMs` (`nowMs` on the Redis clock): to be forgotten. Pure. */
export function instancesToForget(records: readonly InstanceRecord[], nowMs: number, forgetAfterMs: number): InstanceRecord[] {
  return records.filter((record) => nowMs - record.lastSeenMs > forgetAfterMs);
}
