import type { StreamName } from '@rebal/redis-client';

/**
 * The streams web clients may read through the gateway (shared/DESIGN.md "client-facing"
 * streams), by their logical names: a deployment's Redis key prefix never shows on the wire.
 */
export const CHANNEL_STREAMS = ['market_data', 'portfolio_updates', 'risk_events', 'alerts'] as const satisfies readonly StreamName[];

/** A stream a channel can name. */
export type ChannelStream = (typeof CHANNEL_STREAMS)[number];

const STREAM_SET: ReadonlySet<string> = new Set(CHANNEL_STREAMS);

/** Whether `name` is one of {@link CHANNEL_STREAMS}. */
export function isChannelStream(name: string): name is ChannelStream {
  return STREAM_SET.has(name);
}
