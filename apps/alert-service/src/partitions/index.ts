/**
 * Ownership of the rule engine's partitions: leases renewed, checkpointed, handed over and taken
 * in one script per replica and round, and the consumer group that shows the tier's position.
 */
export { GroupProgress } from './group-progress';
export { PartitionLeases, type PartitionCheckpoint, type PartitionLeasesOptions, type StreamMark, type SyncRequest, type SyncResult } from './partition-leases';
