/** Every event type the platform knows, with the stream that carries it in `STREAMS`. */
export const EVENT_TYPES = [
  'price_update',
  'portfolio_snapshot',
  'rebalance_executed',
  'risk_metric',
  'system_status',
  'feed_status',
  'alert.raised',
  'alert.updated',
  'alert.acknowledged',
  'alert.snoozed',
  'alert.resolved',
  'alert.escalated',
  'heartbeat',
] as const;

/** A known event type. */
export type EventType = (typeof EVENT_TYPES)[number];

/** True when `type` is one of {@link EVENT_TYPES}. */
export function isEventType(type: string): type is EventType {
  return (EVENT_TYPES as readonly string[]).includes(type);
}

/** `price_update` payload (market_data). */
export interface PriceUpdateData {
  symbol: string;
  /** Greater than 0. */
  price: number;
  currency: string;
  volume24h?: number;
}

/** `portfolio_snapshot` payload (portfolio_updates). */
export interface PortfolioSnapshotData {
  portfolioId: string;
  totalValue: number;
  holdings: Array<{ symbol: string; quantity: number; value: number }>;
  /** Target weight per symbol, each in 0..1. */
  targets: Record<string, number>;
}

/** One trade of a rebalance. */
export interface RebalanceTrade {
  symbol: string;
  side: 'buy' | 'sell';
  /** Greater than 0. */
  quantity: number;
  /** Execution price, greater than 0. */
  price: number;
  value?: number;
  fee?: number;
}

/** `rebalance_executed` payload (portfolio_updates). */
export interface RebalanceExecutedData {
  portfolioId: string;
  rebalanceId: string;
  status: 'completed' | 'partial' | 'failed';
  trades: RebalanceTrade[];
  totalValueBefore?: number;
  totalValueAfter?: number;
  reason?: string;
}

/** `risk_metric` payload (risk_events). */
export interface RiskMetricData {
  portfolioId?: string;
  /** An identifier: `var_95`, `volatility`, `max_drawdown`, `correlation`, ... */
  metric: string;
  value: number;
  /** Measurement window, e.g. `30d`. */
  window?: string;
}

/** `system_status` payload (risk_events). */
export interface SystemStatusData {
  service: string;
  instance?: string;
  status: 'healthy' | 'degraded' | 'down';
  reason: string;
}

/** `feed_status` payload (risk_events): a feed went stale or recovered, announced by the health monitor. */
export interface FeedStatusData {
  /** The watched stream, without the deployment's key prefix (e.g. `market_data`). */
  stream: string;
  /** The subject watched (e.g. a symbol); absent for a whole-stream feed. */
  subject?: string;
  status: 'stale' | 'fresh';
  /** RFC 3339 Redis time of the feed's newest event; absent when none was ever seen. */
  lastEventAt?: string;
  /** The longest normal gap between two events of the feed, in ms. */
  expectedIntervalMs: number;
  /** RFC 3339 Redis time this status began. */
  since: string;
}

/** Payload of every `alert.*` type (alerts): the full alert record after the change. */
export interface AlertEventData {
  alert: { id: string; [field: string]: unknown };
}

/** `heartbeat` payload (service_heartbeats). */
export interface HeartbeatData {
  service: string;
  instance: string;
  version: string;
  /** RFC 3339 time the instance started. */
  startedAt: string;
  uptimeSeconds: number;
  status: 'healthy' | 'degraded';
  details?: Record<string, unknown>;
}

/** The payload type of each event type. */
export interface EventDataByType {
  price_update: PriceUpdateData;
  portfolio_snapshot: PortfolioSnapshotData;
  rebalance_executed: RebalanceExecutedData;
  risk_metric: RiskMetricData;
  system_status: SystemStatusData;
  feed_status: FeedStatusData;
  'alert.raised': AlertEventData;
  'alert.updated': AlertEventData;
  'alert.acknowledged': AlertEventData;
  'alert.snoozed': AlertEventData;
  'alert.resolved': AlertEventData;
  'alert.escalated': AlertEventData;
  heartbeat: HeartbeatData;
}
