export { ConsumerGroupRunner, type ConsumerGroupRunnerEvents, type ConsumerGroupRunnerState } from './consumer-group-runner';
export { ConsumerGroupRunnerError, type ConsumerGroupRunnerErrorCode } from './consumer-group-runner-error';
export type { ConsumerEntry, ConsumerGroupRunnerOptions, ConsumerHandler } from './consumer-group-runner-options';
export type { DeadLetterNotice, DeadLetterReason } from './dead-letter';
