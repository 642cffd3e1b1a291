import { compareStreamIds, parseFlatMap, toNumber, toNumberOrNull } from '@rebal/redis-client';
import type { ConsumerReport, GroupReport, StreamReport } from './stream-report';

function firstEntryId(entries: unknown): string | undefined {
  if (!Array.isArray(entries) || entries.length === 0) return undefined;
  const entry: unknown = entries[0];
  return Array.isArray(entry) && entry.length > 0 ? String(entry[0]) : undefined;
}

function parseConsumer(reply: unknown, serverNowMs: number): ConsumerReport {
  const fields = parseFlatMap(reply);
  const seen = toNumber(fields['seen-time'], serverNowMs);
  return { name: String(fields['name']), pending: toNumber(fields['pel-count']), idleMs: Math.max(0, serverNowMs - seen) };
}

function parseGroup(reply: unknown, stream: Pick<StreamReport, 'length' | 'firstId' | 'lastGeneratedId'>, serverNowMs: number): GroupReport {
  const fields = parseFlatMap(reply);
  const lastDeliveredId = String(fields['last-delivered-id'] ?? '0-0');
  let lag = toNumberOrNull(fields['lag']);
  let lagEstimated = false;
  // Redis cannot compute the lag once entries past the group's position were trimmed or
  // deleted; a group behind the oldest entry has every entry still to read.
  if (lag === null && stream.firstId !== undefined && compareStreamIds(lastDeliveredId, stream.firstId) < 0) {
    lag = stream.length;
    lagEstimated = true;
  }
  // A group at the last generated id has nothing to read, whatever Redis says: Redis 7.0
  // miscounts the lag of a trimmed stream after its counters were rebuilt (redis/redis#13957),
  // which would keep a caught-up group over HEALTH_LAG_THRESHOLD for ever.
  if (stream.lastGeneratedId !== undefined && compareStreamIds(lastDeliveredId, stream.lastGeneratedId) >= 0 && lag !== 0) {
    lag = 0;
    lagEstimated = false;
  }
  const consumers = Array.isArray(fields['consumers']) ? fields['consumers'].map((c: unknown) => parseConsumer(c, serverNowMs)) : [];
  return {
    name: String(fields['name']),
    lastDeliveredId,
    entriesRead: toNumberOrNull(fields['entries-read']),
    lag,
    lagEstimated,
    pending: toNumber(fields['pel-count']),
    consumers,
  };
}

/**
 * Reads an `XINFO STREAM <key> FULL COUNT 1` reply: the stream's length, its oldest entry id
 * and `last-generated-id` (the reply has no newest entry id), each group's position, lag and
 * pending count, and each consumer's pending count and idle time (from its `seen-time`,
 * against `serverNowMs`: the Redis server's clock). One command per stream
 * instead of XINFO STREAM + GROUPS + one CONSUMERS per group; COUNT 1 keeps the entry and
 * pending-entry lists in the reply to one item each.
 */
export function parseStreamFull(reply: unknown, serverNowMs: number): Pick<StreamReport, 'length' | 'firstId' | 'lastGeneratedId' | 'entriesAdded' | 'groups'> {
  const fields = parseFlatMap(reply);
  const length = toNumber(fields['length']);
  const recordedFirst = fields['recorded-first-entry-id'];
  const firstId = length === 0 ? undefined : (firstEntryId(fields['entries']) ?? (recordedFirst ? String(recordedFirst) : undefined));
  const lastGenerated = fields['last-generated-id'];
  const lastGeneratedId = lastGenerated === undefined || lastGenerated === null ? undefined : String(lastGenerated);
  const stream = { length, firstId, lastGeneratedId };
  const groups = Array.isArray(fields['groups']) ? fields['groups'].map((g: unknown) => parseGroup(g, stream, serverNowMs)) : [];
  return { length, ...(firstId && { firstId }), ...(lastGeneratedId && { lastGeneratedId }), entriesAdded: toNumberOrNull(fields['entries-added']), groups };
}
