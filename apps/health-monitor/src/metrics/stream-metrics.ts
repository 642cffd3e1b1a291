import { streamIdMs, type ConsumerReport, type GroupReport, type StreamReport } from '../collectors';
import type { HealthSnapshot } from '../status';
import type { Sample, SnapshotMetric } from './snapshot-metric';

type StreamLabels = { db: string; stream: string };

function* existing(snapshot: HealthSnapshot, db: string): Iterable<[StreamLabels, StreamReport]> {
  for (const stream of snapshot.streams) if (stream.exists) yield [{ db, stream: stream.key }, stream];
}

function* groups(snapshot: HealthSnapshot, db: string): Iterable<[StreamLabels & { group: string }, GroupReport]> {
  for (const [labels, stream] of existing(snapshot, db)) for (const group of stream.groups) yield [{ ...labels, group: group.name }, group];
}

function* consumers(snapshot: HealthSnapshot, db: string): Iterable<[StreamLabels & { group: string; consumer: string }, ConsumerReport]> {
  for (const [labels, group] of groups(snapshot, db)) for (const consumer of group.consumers) yield [{ ...labels, consumer: consumer.name }, consumer];
}

function streamGauge(db: string, name: string, help: string, value: (s: StreamReport) => number | null): SnapshotMetric {
  return {
    name, help, type: 'gauge', labelNames: ['db', 'stream'],
    *samples(snapshot) {
      for (const [labels, stream] of existing(snapshot, db)) {
        const v = value(stream);
        if (v !== null) yield [labels, v] as Sample;
      }
    },
  };
}

function groupGauge(db: string, name: string, help: string, value: (g: GroupReport) => number | null): SnapshotMetric {
  return {
    name, help, type: 'gauge', labelNames: ['db', 'stream', 'group'],
    *samples(snapshot) {
      for (const [labels, group] of groups(snapshot, db)) {
        const v = value(group);
        if (v !== null) yield [labels, v] as Sample;
      }
    },
  };
}

function consumerGauge(db: string, name: string, help: string, value: (c: ConsumerReport) => number): SnapshotMetric {
  return {
    name, help, type: 'gauge', labelNames: ['db', 'stream', 'group', 'consumer'],
    *samples(snapshot) {
      for (const [labels, consumer] of consumers(snapshot, db)) yield [labels, value(consumer)] as Sample;
    },
  };
}

/**
 * Stream, group and consumer metrics named as oliver006/redis_exporter's `--check-streams`
 * names them, with its labels (`db` as `db<N>`, `stream`, `group`, `consumer`). Ids are
 * exported as their millisecond part, as there. `last-generated-id` is `redis_stream_last_generated_id`
 * as there; redis_exporter's `redis_stream_last_entry_id` (the newest entry still in the stream)
 * is not exported: `XINFO STREAM FULL` does not return it, and it would cost one more command
 * per stream. Dead-letter streams appear as streams of their own (`stream="<key>:dlq"`) in
 * `redis_stream_length`.
 *
 * @param db the database index the monitor uses (0 in Cluster mode)
 */
export function streamMetrics(db: number): SnapshotMetric[] {
  const dbLabel = `db${db}`;
  return [
    {
      name: 'redis_stream_length',
      help: 'Entries in the stream (dead-letter streams included, as <stream>:dlq)',
      type: 'gauge',
      labelNames: ['db', 'stream'],
      *samples(snapshot) {
        for (const stream of snapshot.streams) {
          if (stream.exists) yield [{ db: dbLabel, stream: stream.key }, stream.length] as Sample;
          // A dead-letter stream whose XLEN failed is left out rather than reported as empty.
          if (!stream.error?.includes(stream.dlq.key)) yield [{ db: dbLabel, stream: stream.dlq.key }, stream.dlq.length] as Sample;
        }
      },
    },
    streamGauge(dbLabel, 'redis_stream_groups', 'Consumer groups of the stream', (s) => s.groups.length),
    streamGauge(dbLabel, 'redis_stream_first_entry_id', 'Millisecond part of the id of the oldest entry', (s) => streamIdMs(s.firstId)),
    streamGauge(dbLabel, 'redis_stream_last_generated_id', 'Millisecond part of the id of the newest entry ever added (last-generated-id)', (s) => streamIdMs(s.lastGeneratedId)),
    groupGauge(dbLabel, 'redis_stream_group_consumers', 'Consumers of the group', (g) => g.consumers.length),
    groupGauge(dbLabel, 'redis_stream_group_messages_pending', 'Entries delivered to the group and not acknowledged', (g) => g.pending),
    groupGauge(dbLabel, 'redis_stream_group_lag', 'Entries not yet delivered to the group (absent when Redis cannot tell)', (g) => g.lag),
    groupGauge(dbLabel, 'redis_stream_group_last_delivered_id', 'Millisecond part of the id of the last entry delivered to the group', (g) => streamIdMs(g.lastDeliveredId)),
    groupGauge(dbLabel, 'redis_stream_group_entries_read', 'Entries the group has read (absent when Redis cannot tell)', (g) => g.entriesRead),
    consumerGauge(dbLabel, 'redis_stream_group_consumer_messages_pending', 'Entries delivered to this consumer and not acknowledged', (c) => c.pending),
    consumerGauge(dbLabel, 'redis_stream_group_consumer_idle_seconds', 'Seconds since the consumer last read', (c) => c.idleMs / 1000),
  ];
}
