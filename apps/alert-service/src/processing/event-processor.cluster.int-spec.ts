import { describeEventProcessorSuite } from './test/event-processor.suite';

// The same replays on a 3-master Redis Cluster: the store's scripts stay in one slot, price histories live in their own.
describeEventProcessorSuite('cluster', { mode: 'cluster' });
