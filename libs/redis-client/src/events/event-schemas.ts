import alertSchema from './schemas/alert.schema.json';
import envelopeSchema from './schemas/envelope.schema.json';
import feedStatusSchema from './schemas/feed-status.schema.json';
import heartbeatSchema from './schemas/heartbeat.schema.json';
import portfolioSnapshotSchema from './schemas/portfolio-snapshot.schema.json';
import priceUpdateSchema from './schemas/price-update.schema.json';
import rebalanceExecutedSchema from './schemas/rebalance-executed.schema.json';
import riskMetricSchema from './schemas/risk-metric.schema.json';
import systemStatusSchema from './schemas/system-status.schema.json';
import type { EventType } from './event-types';

/** A JSON Schema document (draft-07) as loaded from `schemas/*.json`. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** JSON Schema of the CloudEvents envelope (data parsed), `schemas/envelope.schema.json`. */
export const ENVELOPE_SCHEMA: JsonSchema = envelopeSchema;

/**
 * JSON Schema of the `data` of each event type (files under `schemas/`); every `alert.*`
 * type shares `alert.schema.json`. The AsyncAPI document references these files.
 */
export const EVENT_SCHEMAS: Readonly<Record<EventType, JsonSchema>> = {
  price_update: priceUpdateSchema,
  portfolio_snapshot: portfolioSnapshotSchema,
  rebalance_executed: rebalanceExecutedSchema,
  risk_metric: riskMetricSchema,
  system_status: systemStatusSchema,
  feed_status: feedStatusSchema,
  'alert.raised': alertSchema,
  'alert.updated': alertSchema,
  'alert.acknowledged': alertSchema,
  'alert.snoozed': alertSchema,
  'alert.resolved': alertSchema,
  'alert.escalated': alertSchema,
  heartbeat: heartbeatSchema,
};
