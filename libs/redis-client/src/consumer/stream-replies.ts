/** One stream entry as Redis returns it; `fields` is null when the entry was deleted (trimmed) while pending. */
export interface RawStreamEntry {
  id: string;
  fields: string[] | null;
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

function toEntries(list: unknown): RawStreamEntry[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const [id, fields] = item as [string, string[] | null];
    return { id: String(id), fields: Array.isArray(fields) ? fields.map(String) : null };
  });
}

/** Entries of an XREADGROUP reply for one stream (`null` on a BLOCK timeout gives none). */
export function parseReadReply(reply: unknown): RawStreamEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const [, entries] = reply[0] as [string, unknown];
  return toEntries(entries);
}

/** `XAUTOCLAIM` reply (Redis ≥ 7.0): the next cursor, the claimed entries and the ids deleted meanwhile. */
export function parseAutoClaimReply(reply: unknown): { cursor: string; entries: RawStreamEntry[]; deletedIds: string[] } {
  const [cursor, entries, deleted] = (Array.isArray(reply) ? reply : []) as [unknown, unknown, unknown];
  return {
    cursor: typeof cursor === 'string' ? cursor : '0-0',
    entries: toEntries(entries),
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
