import { CHANNEL_SEPARATOR, MAX_SUBJECT_LENGTH, formatChannel, isValidSubject, type Channel } from './channel';
import { channelFailure, MAX_CHANNEL_NAME_LENGTH, type ChannelParseFailure } from './channel-parse-failure';
import { CHANNEL_STREAMS, isChannelStream } from './channel-streams';

/** Outcome of {@link parseChannel}. */
export type ParseChannelResult = { readonly ok: true; readonly channel: Channel } | ChannelParseFailure;

const STREAM_LIST = CHANNEL_STREAMS.join(', ');

/**
 * Parses a channel name a client sent: `<stream>` or `<stream>:<subject>`. The stream is
 * everything before the first `:`, so a subject may itself contain `:`. Refuses, with
 * `invalid_channel`, a non-string, an empty or over-long name, an empty subject, or a subject
 * with whitespace, control characters or `*` (wildcards belong to grants, not subscriptions);
 * refuses with `unknown_channel` a well-formed name whose stream is not a client-facing stream.
 */
export function parseChannel(text: unknown): ParseChannelResult {
  if (typeof text !== 'string') return { ok: false, code: 'invalid_channel', message: 'a channel must be a string' };
  if (text.length === 0) return { ok: false, code: 'invalid_channel', message: 'a channel must not be empty' };
  if (text.length > MAX_CHANNEL_NAME_LENGTH) {
    return channelFailure('invalid_channel', 'channel', text, `longer than ${MAX_CHANNEL_NAME_LENGTH} characters`);
  }
  const cut = text.indexOf(CHANNEL_SEPARATOR);
  const stream = cut === -1 ? text : text.slice(0, cut);
  const subject = cut === -1 ? undefined : text.slice(cut + 1);
  if (subject !== undefined && !isValidSubject(subject)) {
    return channelFailure(
      'invalid_channel',
      'channel',
      text,
      `the subject must be 1..${MAX_SUBJECT_LENGTH} characters without whitespace, control characters or "*"`,
    );
  }
  if (!isChannelStream(stream)) {
    return channelFailure('unknown_channel', 'channel', text, `unknown stream (expected one of ${STREAM_LIST})`);
  }
  const channel: Channel = subject === undefined ? { name: formatChannel(stream), stream } : { name: formatChannel(stream, subject), stream, subject };
  return { ok: true, channel };
}
