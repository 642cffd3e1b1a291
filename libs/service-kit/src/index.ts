// @rebal/service-kit: what every service has in common: environment parsing that documents
// itself, bearer-token verification, the HTTP surface (/livez, /readyz, /metrics,
// problem+json), and the process lifecycle (signals, graceful shutdown). (Periodic tasks and
// backoff are @rebal/redis-client's, so the library's own loops use them too.)
export * from './auth';
export * from './config';
export * from './http';
export * from './lifecycle';
