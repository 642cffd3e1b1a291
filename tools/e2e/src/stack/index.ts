// The whole system as processes on loopback, shaped like production (TLS, ACL users, replicas
// behind a balancer), for the end-to-end, fault and hostile-input tests.
export { E2eStack, type E2eStackOptions } from './e2e-stack';
export { LoopbackBalancer } from './loopback-balancer';
export { Replica, type ReplicaOptions, type StackApp } from './replica';
