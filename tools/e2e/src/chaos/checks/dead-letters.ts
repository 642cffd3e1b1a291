import type { RedisConnection } from '@rebal/redis-client';

/** The dead-letter streams a run may see. */
const DLQ_STREAMS = ['market_data:dlq', 'portfolio_updates:dlq', 'risk_events:dlq', 'alerts:dlq', 'service_heartbeats:dlq'] as const;

/** What the dead-letter streams hold, against the poisoned entries a run injected. */
export interface DeadLetterVerdict {
  readonly injected: number;
  /** Injected entries found in `market_data:dlq`. */
  readonly matched: number;
  /** Dead letters of anything the run did not poison: `<dlq> <original id> <reason>`. */
  readonly unexpected: readonly string[];
  /** Extra copies of an injected entry (a crash between XADD to the DLQ and XACK makes one: documented, never a loss). */
  readonly copies: number;
}

/** Reads every dead-letter stream and matches its entries (`dlq_id`) to the injected ones. */
export async function readDeadLetters(admin: RedisConnection, poisonedIds: readonly string[]): Promise<DeadLetterVerdict> {
  const poisoned = new Set(poisonedIds);
  const found = new Map<string, number>();
  const unexpected: string[] = [];
  for (const dlq of DLQ_STREAMS) {
    const entries = (await admin.xrange(dlq, '-', '+')) as Array<[string, string[]]>;
    for (const [, fields] of entries) {
      const field = (name: string) => {
        const index = fields.indexOf(name);
        return index >= 0 && index % 2 === 0 ? fields[index + 1] : undefined;
      };
      const original = field('dlq_id') ?? '?';
      if (dlq === 'market_data:dlq' && poisoned.has(original)) found.set(original, (found.get(original) ?? 0) + 1);
      else unexpected.push(`${dlq} ${original} ${field('dlq_reason') ?? '?'}: ${field('dlq_error') ?? ''}`);
    }
  }
  const copies = [...found.values()].reduce((sum, count) => sum + count - 1, 0);
  return { injected: poisoned.size, matched: found.size, unexpected, copies };
}
