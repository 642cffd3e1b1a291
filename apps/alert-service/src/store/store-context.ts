import type { RedisConnection, Logger } from '@rebal/redis-client';
import type { AlertRecord } from '../alerts';
import { AlertCommitPlan } from './alert-commit-plan';
import type { AlertKeys } from './alert-keys';
import type { ResolvedAlertStoreOptions } from './alert-store-options';
import type { AlertStoreMetrics } from './alert-store-metrics';

/** What the store's parts share: connection, keys, options, metrics. Internal to the store. */
export interface StoreContext {
  readonly redis: RedisConnection;
  readonly keys: AlertKeys;
  readonly options: ResolvedAlertStoreOptions;
  readonly metrics: AlertStoreMetrics;
  readonly logger: Logger;
  /** A new empty commit plan with the store's stream MAXLEN and history cap. */
  newPlan(): AlertCommitPlan;
  /** Reads alert records by id (one MGET; all keys share the slot). */
  readAlerts(ids: readonly string[]): Promise<Array<AlertRecord | undefined>>;
}

/** Builds the shared context. */
export function createStoreContext(
  options: ResolvedAlertStoreOptions,
  keys: AlertKeys,
  metrics: AlertStoreMetrics,
): StoreContext {
  const { redis } = options;
  return {
    redis,
    keys,
    options,
    metrics,
    logger: options.logger,
    newPlan: () => new AlertCommitPlan(options.maxLen, options.historyLimit),
    async readAlerts(ids) {
      if (ids.length === 0) return [];
      const raw = await redis.mget(...ids.map((id) => keys.alert(id)));
      return raw.map((text) => (text ? (JSON.parse(text) as AlertRecord) : undefined));
    },
  };
}
