export { backoffDelay, type BackoffOptions } from './backoff-delay';
