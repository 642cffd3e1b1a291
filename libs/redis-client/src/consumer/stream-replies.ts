import type { ConsumerEntry } from './consumer-group-runner-options';

/**
 * One delivered stream entry as the runner hands it on: what its handler gets as the
 * `ConsumerEntry`, plus the fields (null when the entry was deleted, trimmed, while pending).
 * One object per entry, from the reply to the handler.
 */
export interface StreamEntry extends ConsumerEntry {
  readonly fields: readonly string[] | null;
}

/** One row of `XPENDING key group [IDLE n] start end count [consumer]`. */
export interface PendingEntryInfo {
  id: string;
  consumer: string;
  idleMs: number;
  deliveries: number;
}

/** The fields of one group in `XINFO GROUPS` that the runner uses. */
export interface GroupInfo {
  name: string;
  consumers: number;
  pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell (Redis ≥ 7.0 only). */
  lag: number | null;
}

/** Entries of `stream` from a reply's list, delivered `deliveries` times (the runner fills in the count of a claimed or re-read entry). */
function toEntries(list: unknown, stream: string, deliveries: number): StreamEntry[] {
  if (!Array.isArray(list)) return [];
  const entries: StreamEntry[] = new Array<StreamEntry>(list.length);
  for (let i = 0; i < list.length; i++) {
    const [id, fields] = list[i] as [unknown, unknown];
    // `call` replies carry strings already: the field list is used as it came.
    entries[i] = { id: String(id), stream, deliveries, fields: Array.isArray(fields) ? (fields as string[]) : null };
  }
  return entries;
}

/** Entries of an XREADGROUP reply for `stream` (`null` on a BLOCK timeout gives none), each delivered `deliveries` times (default 1: a read of new entries). */
export function parseReadReply(reply: unknown, stream: string, deliveries = 1): StreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const [, entries] = reply[0] as [string, unknown];
  return toEntries(entries, stream, deliveries);
}

/** `XAUTOCLAIM` reply (Redis ≥ 7.0) on `stream`: the next cursor, the claimed entries (delivery count 0 until XPENDING tells) and the ids deleted meanwhile. */
export function parseAutoClaimReply(reply: unknown, stream: string): { cursor: string; entries: StreamEntry[]; deletedIds: string[] } {
  const [cursor, entries, deleted] = (Array.isArray(reply) ? reply : []) as [unknown, unknown, unknown];
  return {
    cursor: typeof cursor === 'string' ? cursor : '0-0',
    entries: toEntries(entries, stream, 0),
    deletedIds: Array.isArray(deleted) ? deleted.map(String) : [],
  };
}

/** Rows of an extended XPENDING reply. */
export function parsePendingReply(reply: unknown): PendingEntryInfo[] {
  if (!Array.isArray(reply)) return [];
  return reply.map((row) => {
    const [id, consumer, idle, deliveries] = row as [string, string, number, number];
    return { id: String(id), consumer: String(consumer), idleMs: Number(idle), deliveries: Number(deliveries) };
  });
}

/** The group named `group` in an `XINFO GROUPS` reply (RESP2 flat arrays), or undefined. */
export function findGroupInfo(reply: unknown, group: string): GroupInfo | undefined {
  if (!Array.isArray(reply)) return undefined;
  for (const row of reply) {
    if (!Array.isArray(row)) continue;
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < row.length; i += 2) fields.set(String(row[i]), row[i + 1]);
    if (String(fields.get('name')) !== group) continue;
    const lag = fields.get('lag');
    return {
      name: group,
      consumers: Number(fields.get('consumers') ?? 0),
      pending: Number(fields.get('pending') ?? 0),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  }
  return undefined;
}
