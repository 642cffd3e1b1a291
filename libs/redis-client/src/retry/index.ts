export { backoffDelay, type BackoffOptions } from './backoff-delay';
export { runPeriodicTask, type PeriodicTaskOptions } from './periodic-task';
