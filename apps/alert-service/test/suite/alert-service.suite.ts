import { useRedis, type RedisTestMode } from '@rebal/redis-testing';
import { apiContractTests } from './api-contract.tests';
import { crudTests } from './crud.tests';
import { degradedModeTests } from './degraded-mode.tests';
import { endToEndTests } from './end-to-end.tests';
import { replicaTests } from './replicas.tests';
import { restartTests } from './restart.tests';
import { ruleChangeTests } from './rule-changes.tests';
import { scopeTests } from './scopes.tests';
import { SharedFixture } from './shared-fixture';

/**
 * The alert service's integration suite against one real Redis deployment: the REST API's
 * contract and its scopes, rules and silences, the `alerts` stream and webhooks end to end, a SIGKILLed
 * process restarted, two replicas sharing 10,000 events, and degraded mode (last: it stops
 * the Redis). Run once per mode by the `*.int-spec.ts` files.
 */
export function alertServiceSuite(mode: RedisTestMode): void {
  describe(`alert service on ${mode} Redis`, () => {
    const redis = useRedis({ mode }, 120_000);
    // A nested block, so its afterAll (services, processes, connections) runs before the Redis is disposed.
    describe('with one shared in-process service', () => {
      const fx = new SharedFixture(() => redis.server);
      apiContractTests(fx);
      scopeTests(fx);
      crudTests(fx);
      ruleChangeTests(fx);
      endToEndTests(fx);
      restartTests(fx);
      replicaTests(fx);
      degradedModeTests(fx);
    });
  });
}
