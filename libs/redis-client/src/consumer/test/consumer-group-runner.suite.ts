/// <reference types="jest" />
import type { RedisTestServer } from '@rebal/redis-testing';
import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../../connection/redis-connection';
import { ConsumerGroupRunner } from '../consumer-group-runner';
import { gate, type Gate } from './consumer-test-kit';
import type { ConsumerSuiteConnections, ConsumerSuiteContext, ConsumerSuiteOptions, RunnerSetup } from './consumer-suite-context';
import { failureScenarios } from './failure-scenarios';
import { lifecycleScenarios } from './lifecycle-scenarios';
import { workSharingScenarios } from './work-sharing-scenarios';

export type { ConsumerSuiteConnections, ConsumerSuiteOptions } from './consumer-suite-context';

/**
 * The publish/consume scenarios of `ConsumerGroupRunner`, against one kind of deployment:
 * `start` brings up a Redis for the whole suite, `connect` opens a new pair of connections
 * to it (called once per consumer; the suite closes them). Each test uses its own stream.
 */
export function describeConsumerSuite(
  name: string,
  start: () => Promise<RedisTestServer>,
  connect: (server: RedisTestServer) => ConsumerSuiteConnections,
  suiteOptions: ConsumerSuiteOptions = {},
): void {
  describe(`ConsumerGroupRunner (${name})`, () => {
    let server: RedisTestServer | undefined;
    const opened: RedisConnection[] = [];
    const runners: ConsumerGroupRunner[] = [];
    const gates: Gate[] = [];

    beforeAll(async () => {
      server = await start();
    }, 120_000);
    afterAll(async () => {
      await server?.dispose();
    }, 60_000);
    afterEach(async () => {
      for (const held of gates.splice(0)) held.open();
      await Promise.allSettled(runners.splice(0).map((runner) => runner.stop()));
      await Promise.allSettled(
        opened.splice(0).map(async (connection) => {
          // disconnect() on an ended connection arms a 2 s timer in ioredis that outlives the file.
          if (connection.status === 'ready') await connection.quit();
          else if (connection.status !== 'end') connection.disconnect();
        }),
      );
    }, 30_000);

    const context: ConsumerSuiteContext = {
      server: () => {
        if (!server) throw new Error('no server');
        return server;
      },
      open: (): ConsumerSuiteConnections => {
        if (!server) throw new Error('no server');
        const pair = connect(server);
        opened.push(pair.command, pair.blocking);
        return pair;
      },
      newRunner: (pair: ConsumerSuiteConnections, setup: RunnerSetup): ConsumerGroupRunner => {
        const runner = new ConsumerGroupRunner({ redis: pair.command, blockingRedis: pair.blocking, blockMs: 500, ...setup });
        runners.push(runner);
        return runner;
      },
      newGate: (): Gate => {
        const held = gate();
        gates.push(held);
        return held;
      },
      newStream: (): string => `cgr:${randomUUID()}`,
      options: suiteOptions,
    };

    workSharingScenarios(context);
    failureScenarios(context);
    lifecycleScenarios(context);
  });
}
