export { ConsumerGroupRunner, type ConsumerGroupRunnerEvents, type ConsumerGroupRunnerState } from './consumer-group-runner';
export { ConsumerGroupRunnerError, type ConsumerGroupRunnerErrorCode } from './consumer-group-runner-error';
export { RUNNER_DEFAULTS, type ConsumerEntry, type ConsumerGroupRunnerOptions, type ConsumerHandler } from './consumer-group-runner-options';
export type { DeadLetterNotice, DeadLetterReason } from './dead-letter';
