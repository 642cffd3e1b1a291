export { createEvent, type CloudEvent, type CreateEventInput } from './cloud-event';
export type { DecodeResult } from './decode-result';
export { decodeEntry, encodeEvent, ENVELOPE_FIELDS, type DecodeEntryOptions } from './event-codec';
export { ENVELOPE_SCHEMA, EVENT_SCHEMAS, type JsonSchema } from './event-schemas';
export {
  EVENT_TYPES,
  isEventType,
  type AlertEventData,
  type EventDataByType,
  type EventType,
  type FeedStatusData,
  type HeartbeatData,
  type PortfolioSnapshotData,
  type PriceUpdateData,
  type RebalanceExecutedData,
  type RebalanceTrade,
  type RiskMetricData,
  type SystemStatusData,
} from './event-types';
export { EventValidationError } from './event-validation-error';
export { StreamPublisher, type StreamPublisherOptions } from './stream-publisher';
export * from './streams';
export { validateEvent } from './validate-event';
