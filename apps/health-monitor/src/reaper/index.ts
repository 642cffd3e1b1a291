// Housekeeping by the lease holder: the lease itself, and the reaping of the groups and
// consumers of instances whose heartbeats stopped.
export { LeaseLostError, type LeaseCheck } from './lease-lost-error';
export { FAN_OUT_GROUP_PREFIX, instancesToForget, planReaping, type PlanReapingInput, type ReapAction } from './plan-reaping';
export { Reaper, type ReaperOptions, type ReapResult } from './reaper';
export { RedisLease, type RedisLeaseOptions } from './redis-lease';
