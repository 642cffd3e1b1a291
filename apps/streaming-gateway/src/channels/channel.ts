import type { ChannelStream } from './channel-streams';

/**
 * A channel a client subscribes to: a whole stream (`market_data`) or one subject of it
 * (`market_data:BTC`, `portfolio_updates:p-123`). The subject is the CloudEvents `subject`
 * of the stream's events (symbol, portfolio id, service or alert id).
 */
export interface Channel {
  /** Canonical name, `<stream>` or `<stream>:<subject>`: the key of subscription maps and the `channel` of event frames. */
  readonly name: string;
  /** The stream the channel reads. */
  readonly stream: ChannelStream;
  /** The one subject it is narrowed to; absent for the whole stream. */
  readonly subject?: string;
}

/** Separates the stream from the subject in channel and grant names. */
export const CHANNEL_SEPARATOR = ':';

/** Longest subject accepted in a channel or grant name, in UTF-16 code units. */
export const MAX_SUBJECT_LENGTH = 256;

/** The wildcard of grants (`*`, `market_data:*`); never part of a subject. */
export const WILDCARD = '*';

// No whitespace, no control characters, no wildcard: subjects are symbols, ids and service names.
const SUBJECT_PATTERN = /^[^\s*\p{Cc}]+$/u;

/** Whether `subject` can narrow a channel: 1..256 characters, no whitespace, control character or `*`. */
export function isValidSubject(subject: string): boolean {
  return subject.length > 0 && subject.length <= MAX_SUBJECT_LENGTH && SUBJECT_PATTERN.test(subject);
}

/** The canonical name of a channel on `stream`, narrowed to `subject` when given. Does not validate. */
export function formatChannel(stream: ChannelStream, subject?: string): string {
  return subject === undefined ? stream : `${stream}${CHANNEL_SEPARATOR}${subject}`;
}
