import type { RedisTestServer } from '@rebal/redis-testing';
import type { RedisConnection } from '../../connection/redis-connection';
import type { ConsumerGroupRunner } from '../consumer-group-runner';
import type { ConsumerGroupRunnerOptions } from '../consumer-group-runner-options';
import type { Gate } from './consumer-test-kit';

/** The two connections a runner needs: one for commands, one of its own for XREADGROUP BLOCK. */
export interface ConsumerSuiteConnections {
  command: RedisConnection;
  blocking: RedisConnection;
}

/** Switches for deployments where a scenario cannot run. */
export interface ConsumerSuiteOptions {
  /** Run the Redis-restart scenario (default true). */
  restart?: boolean;
}

/** What a scenario sets on a runner; the suite adds the connections and `blockMs: 500`. */
export type RunnerSetup = Pick<ConsumerGroupRunnerOptions, 'stream' | 'group' | 'consumer' | 'handler'> & Partial<ConsumerGroupRunnerOptions>;

/**
 * What the scenarios of `describeConsumerSuite` get from it: everything they open is closed
 * (connections), stopped (runners) or opened (gates) after each test.
 */
export interface ConsumerSuiteContext {
  /** The Redis of the suite (only inside tests). */
  server(): RedisTestServer;
  /** A new pair of connections to it. */
  open(): ConsumerSuiteConnections;
  /** A runner on `pair` with `setup`. */
  newRunner(pair: ConsumerSuiteConnections, setup: RunnerSetup): ConsumerGroupRunner;
  /** A closed gate. */
  newGate(): Gate;
  /** A stream name no other test uses. */
  newStream(): string;
  /** The deployment's switches. */
  options: ConsumerSuiteOptions;
}
