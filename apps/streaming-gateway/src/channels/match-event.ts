import { formatChannel, isValidSubject, type Channel } from './channel';
import { isChannelStream } from './channel-streams';

/**
 * Whether an event read from `stream` with CloudEvents `subject` belongs on `channel`: same
 * stream, and the channel is either the whole stream or narrowed to exactly that subject
 * (case-sensitive). `stream` is the logical name, without the deployment's key prefix.
 */
export function channelMatchesEvent(channel: Channel, stream: string, subject: string | undefined): boolean {
  if (channel.stream !== stream) return false;
  return channel.subject === undefined || channel.subject === subject;
}

/**
 * The names of every channel an event belongs on: `[stream]`, plus `stream:subject` when the
 * event has a subject a channel can name. Empty for a stream that is not client-facing. The
 * fan-out looks these (at most two) names up in its subscription index instead of testing
 * every subscription with {@link channelMatchesEvent}.
 */
export function channelNamesForEvent(stream: string, subject: string | undefined): string[] {
  if (!isChannelStream(stream)) return [];
  if (subject === undefined || !isValidSubject(subject)) return [formatChannel(stream)];
  return [formatChannel(stream), formatChannel(stream, subject)];
}
