import { indexKeysOf, indexMember, countField } from './alert-index';
import type { SilenceRepository } from './silence-repository';
import type { StoreContext } from './store-context';

/**
 * Retention: removes resolved alerts whose `endsAt` is older than the retention (record,
 * history, index entries, counters), in batches of one script each, and silences that
 * expired before the same cutoff.
 */
export class AlertPurger {
  /**
   * @param ctx the store's shared context
   * @param silences the silence repository (expired silences are purged too)
   */
  constructor(
    private readonly ctx: StoreContext,
    private readonly silences: SilenceRepository,
  ) {}

  /** Purges everything resolved before `nowMs − retentionMs`; returns how many alerts went. */
  async purge(nowMs: number): Promise<number> {
    const { keys, options } = this.ctx;
    const cutoff = nowMs - options.retentionMs;
    let purged = 0;
    let conflicts = 0;
    for (;;) {
      const ids = await this.ctx.redis.zrangebyscore(keys.resolved, '-inf', cutoff, 'LIMIT', 0, options.purgeBatchSize);
      if (ids.length === 0) break;
      const records = await this.ctx.readAlerts(ids);
      const plan = this.ctx.newPlan();
      ids.forEach((id, index) => {
        const record = records[index];
        plan.write('ZREM', keys.resolved, id).write('DEL', keys.history(id));
        if (!record) return;
        plan.expectRecordVersion(keys.alert(id), record.version).write('DEL', keys.alert(id));
        const member = indexMember(record);
        for (const key of indexKeysOf(keys, record)) plan.write('ZREM', key, member);
        plan.write('HINCRBY', keys.counts, countField(record), -1);
      });
      const outcome = await plan.run(this.ctx.redis);
      if (outcome.status !== 'ok') {
        this.ctx.metrics.conflict('purge');
        if (++conflicts >= options.maxAttempts) break;
        continue;
      }
      purged += records.filter((record) => record !== undefined).length;
      if (ids.length < options.purgeBatchSize) break;
    }
    const silences = await this.silences.purgeExpired(cutoff);
    if (purged > 0 || silences > 0) this.ctx.logger.info({ alerts: purged, silences }, 'purged resolved alerts and expired silences');
    return purged;
  }
}
