import type { Subscription } from '../fanout';
import type { SessionRecord } from '../sessions';

/** The session records a closing connection may leave, taken while it still had its subscriptions. */
export interface ClosingRecords {
  /** With the positions of everything sent: for a close whose handshake the client completed. */
  readonly sent: SessionRecord;
  /** With the positions the client confirmed: for a connection that died. */
  readonly confirmed: SessionRecord;
}

/**
 * What a connection's session records: its channels (the resumed ones not subscribed again
 * first, with their stored positions, then the subscriptions) and, per subscription, the
 * position of the last event `sent`, or else the last one the client `confirmed`. A channel
 * without a position is listed without one.
 */
export function sessionRecordOf(
  subject: string,
  pending: ReadonlyMap<string, string | undefined> | undefined,
  subscriptions: readonly Subscription[],
  positions: 'sent' | 'confirmed',
): SessionRecord {
  const channels: string[] = [];
  const recorded: Record<string, string> = {};
  if (pending !== undefined) {
    for (const [channel, position] of pending) {
      channels.push(channel);
      if (position !== undefined) recorded[channel] = position;
    }
  }
  for (const subscription of subscriptions) {
    const name = subscription.channel.name;
    if (pending?.has(name) !== true) channels.push(name);
    const position = positions === 'sent' ? subscription.position : subscription.confirmed;
    if (position !== undefined) recorded[name] = position;
  }
  return { subject, channels, positions: recorded };
}
