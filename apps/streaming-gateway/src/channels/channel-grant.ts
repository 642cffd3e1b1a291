import { CHANNEL_SEPARATOR, MAX_SUBJECT_LENGTH, WILDCARD, isValidSubject } from './channel';
import { channelFailure, MAX_CHANNEL_NAME_LENGTH, type ChannelParseFailure } from './channel-parse-failure';
import { CHANNEL_STREAMS, isChannelStream, type ChannelStream } from './channel-streams';

/**
 * One entry of a token's `channels` claim: what a client may subscribe to.
 *
 * | claim entry | kind | allows |
 * |---|---|---|
 * | `*` | `all` | every channel of every stream |
 * | `market_data` | `stream` | the whole stream and every one of its subject channels |
 * | `market_data:*` | `any_subject` | any single-subject channel (`market_data:BTC`), not the whole stream |
 * | `portfolio_updates:p-123` | `subject` | that one channel |
 */
export type ChannelGrant =
  | { readonly kind: 'all'; readonly name: string }
  | { readonly kind: 'stream'; readonly name: string; readonly stream: ChannelStream }
  | { readonly kind: 'any_subject'; readonly name: string; readonly stream: ChannelStream }
  | { readonly kind: 'subject'; readonly name: string; readonly stream: ChannelStream; readonly subject: string };

/** Outcome of {@link parseGrant}. */
export type ParseGrantResult = { readonly ok: true; readonly grant: ChannelGrant } | ChannelParseFailure;

const STREAM_LIST = CHANNEL_STREAMS.join(', ');

/**
 * Parses one entry of the `channels` claim (see {@link ChannelGrant} for the forms). Refuses
 * malformed entries with `invalid_channel` and entries naming an unknown stream with
 * `unknown_channel`; the token verifier ignores both (and reports them) rather than failing
 * the whole token, so an issuer can grant a stream before every gateway knows it.
 */
export function parseGrant(text: unknown): ParseGrantResult {
  if (typeof text !== 'string') return { ok: false, code: 'invalid_channel', message: 'a grant must be a string' };
  if (text.length === 0) return { ok: false, code: 'invalid_channel', message: 'a grant must not be empty' };
  if (text.length > MAX_CHANNEL_NAME_LENGTH) {
    return channelFailure('invalid_channel', 'grant', text, `longer than ${MAX_CHANNEL_NAME_LENGTH} characters`);
  }
  if (text === WILDCARD) return { ok: true, grant: { kind: 'all', name: WILDCARD } };
  const cut = text.indexOf(CHANNEL_SEPARATOR);
  const stream = cut === -1 ? text : text.slice(0, cut);
  const subject = cut === -1 ? undefined : text.slice(cut + 1);
  if (subject !== undefined && subject !== WILDCARD && !isValidSubject(subject)) {
    return channelFailure(
      'invalid_channel',
      'grant',
      text,
      `the subject must be "*" or 1..${MAX_SUBJECT_LENGTH} characters without whitespace, control characters or "*"`,
    );
  }
  if (stream === WILDCARD) return channelFailure('invalid_channel', 'grant', text, '"*" stands alone and takes no subject');
  if (!isChannelStream(stream)) {
    return channelFailure('unknown_channel', 'grant', text, `unknown stream (expected "*" or one of ${STREAM_LIST})`);
  }
  if (subject === undefined) return { ok: true, grant: { kind: 'stream', name: text, stream } };
  if (subject === WILDCARD) return { ok: true, grant: { kind: 'any_subject', name: text, stream } };
  return { ok: true, grant: { kind: 'subject', name: text, stream, subject } };
}
