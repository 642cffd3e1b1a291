import { describeEventProcessorSuite } from './test/event-processor.suite';

// Replays on a single redis-server (AOF on, as production runs).
describeEventProcessorSuite('standalone', {});
