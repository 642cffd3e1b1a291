import { isChannelGranted } from '../channels';
import { readResumes, type ChannelResume, type ResumeRequest, type Subscription } from '../fanout';
import { ServerErrorCode, type SubscribedChannel } from '@rebal/gateway-client';
import { encodeEvent, type RequestId, type SubscribeFrame, type UnsubscribeFrame } from '../protocol';
import type { ClientConnection } from './client-connection';

/** A channel of a `subscribe`, registered and with its history read. */
interface PreparedChannel extends ResumeRequest, ChannelResume {
  readonly subscription: Subscription;
}

/**
 * `subscribe`, all or nothing: every channel must be granted and fit the subscription limit.
 * New channels are registered for live events first (held while catching up), then the
 * stream's end E is read and, for a channel with a position, its history (since, E]. The
 * `subscribed` reply is followed, per channel, by the replayed events and then by the held
 * and later live events above E: no gap, no duplicate across the switch. The session is
 * written once, after the reply.
 */
export async function subscribe(connection: ClientConnection, frame: SubscribeFrame): Promise<void> {
  const auth = connection.auth;
  if (!auth) return;
  const { limits, history, isRedisReady, metrics, logger } = connection.deps;
  const refused = frame.channels.find((request) => !isChannelGranted(request.channel, auth.grants));
  if (refused) {
    const name = refused.channel.name;
    connection.sendError({ code: ServerErrorCode.NotGranted, message: `channel ${JSON.stringify(name)} is not granted`, channel: name, ...withId(frame.id) });
    return;
  }
  const fresh = frame.channels.filter((request) => connection.subscription(request.channel.name) === undefined);
  const room = limits.maxSubscriptions - connection.subscriptionCount;
  if (fresh.length > room) {
    const name = fresh[Math.max(0, room)].channel.name;
    connection.sendError({
      code: ServerErrorCode.TooManySubscriptions,
      message: `at most ${limits.maxSubscriptions} subscriptions per connection`,
      channel: name,
      ...withId(frame.id),
    });
    return;
  }
  // A reader starts at its stream's end: until it runs, a subscription would miss what comes first.
  if (fresh.length > 0 && (!isRedisReady() || fresh.some((request) => !history.isLive(request.channel.stream)))) {
    connection.sendError({ code: ServerErrorCode.Unavailable, message: 'the event store is unreachable; retry with backoff', ...withId(frame.id) });
    return;
  }
  const session = connection.session;
  const pending = fresh.map((request) => {
    const since = request.since ?? session?.pending?.get(request.channel.name);
    const subscription = connection.addSubscription(request.channel);
    if (since !== undefined) subscription.resumeFrom(since);
    return { channel: request.channel, since, subscription };
  });
  let prepared: PreparedChannel[];
  try {
    const resumes = await readResumes(history, pending, limits.replayCap);
    prepared = pending.map((channel, index) => ({ ...channel, ...resumes[index] }));
  } catch (error) {
    for (const { subscription } of pending) connection.removeSubscription(subscription);
    logger.warn({ err: error }, 'reading stream positions or history failed; subscribe refused with unavailable');
    connection.sendError({ code: ServerErrorCode.Unavailable, message: 'the event store is unreachable; retry with backoff', ...withId(frame.id) });
    return;
  }
  if (!connection.open) return;
  // A resumed session's channel is now a subscription: its stored position has served.
  const stored = session?.pending;
  if (session !== undefined && stored !== undefined) {
    for (const { channel } of pending) stored.delete(channel.name);
    if (stored.size === 0) session.pending = undefined;
  }
  const byName = new Map(prepared.map((channel) => [channel.channel.name, channel]));
  connection.sendFrame({
    type: 'subscribed',
    ...withId(frame.id),
    channels: frame.channels.map(({ channel }) => describe(channel.name, byName.get(channel.name))),
  });
  if (pending.length > 0) connection.saveSession();
  const chunkBytes = Math.max(16_384, Math.floor(limits.sendBufferLimitBytes / 4));
  for (const channel of prepared) {
    metrics.resumes.inc({ outcome: channel.outcome });
    if (!channel.subscription.active) continue;
    if (channel.events.length > 0) {
      const frames = channel.events.map(({ id, event }) =>
        Buffer.from(encodeEvent({ channel: channel.channel.name, stream: channel.channel.stream, id, eventJson: JSON.stringify(event) }), 'utf8'),
      );
      const bytes = frames.reduce((total, frame) => total + frame.length, 0);
      metrics.replayedEvents.inc(frames.length);
      metrics.messagesSent.inc({ kind: 'event' }, frames.length);
      metrics.bytesSent.inc({ kind: 'event' }, bytes);
      if (!(await connection.sendReplay(frames, chunkBytes))) return;
      channel.subscription.advance(channel.events[channel.events.length - 1].id);
    }
    channel.subscription.goLive(channel.end);
  }
}

/** `unsubscribe`: idempotent; no event of these channels is sent after the `unsubscribed` reply. */
export async function unsubscribe(connection: ClientConnection, frame: UnsubscribeFrame): Promise<void> {
  const session = connection.session;
  let changed = false;
  for (const channel of frame.channels) {
    if (session?.pending?.delete(channel.name) === true) changed = true;
    const subscription = connection.subscription(channel.name);
    if (subscription) {
      connection.removeSubscription(subscription);
      changed = true;
    }
  }
  if (session?.pending?.size === 0) session.pending = undefined;
  connection.sendFrame({ type: 'unsubscribed', ...withId(frame.id), channels: frame.channels.map((channel) => channel.name), reason: 'requested' });
  if (changed) connection.saveSession();
}

function describe(name: string, prepared: PreparedChannel | undefined): SubscribedChannel {
  // Already subscribed on this connection: left as it is, nothing was missed.
  if (!prepared) return { channel: name, recovered: true, replayed: 0 };
  const since = prepared.since === undefined ? {} : { since: prepared.since };
  if (prepared.outcome === 'recovered') return { channel: name, recovered: true, replayed: prepared.events.length, ...since };
  return { channel: name, recovered: false, replayed: 0, ...since, reason: prepared.outcome };
}

function withId(id: RequestId | undefined): { id?: RequestId } {
  return id === undefined ? {} : { id };
}
