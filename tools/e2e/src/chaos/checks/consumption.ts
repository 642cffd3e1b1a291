import type { RedisConnection } from '@rebal/redis-client';

/** The alert service's input streams. */
export const ALERT_INPUT_STREAMS = ['market_data', 'portfolio_updates', 'risk_events'] as const;

/**
 * The alert-service group's unread (`lag`) and unacknowledged (`pending`) entries over its
 * input streams. Unread is counted from the group's last delivered id, not taken from
 * `XINFO GROUPS` `lag`: Redis 7.0 reports a wrong lag once a stream was trimmed past a
 * restart (redis/redis#13957, fixed in later releases), which a 30-minute soak hit.
 */
export async function readConsumption(admin: RedisConnection): Promise<{ lag: number; pending: number }> {
  let lag = 0;
  let pending = 0;
  for (const stream of ALERT_INPUT_STREAMS) {
    const groups = (await admin.xinfo('GROUPS', stream)) as unknown[][];
    for (const group of groups) {
      const fields = new Map<string, unknown>();
      for (let i = 0; i + 1 < group.length; i += 2) fields.set(String(group[i]), group[i + 1]);
      if (fields.get('name') !== 'alert-service') continue;
      pending += Number(fields.get('pending') ?? 0);
      const unread = (await admin.xrange(stream, `(${String(fields.get('last-delivered-id'))}`, '+', 'COUNT', 1_000_000)) as unknown[];
      lag += unread.length;
    }
  }
  return { lag, pending };
}
