/**
 * Why a channel or grant name was refused. The values are also protocol error codes:
 * `invalid_channel` (malformed) and `unknown_channel` (well formed, but no such stream).
 */
export type ChannelErrorCode = 'invalid_channel' | 'unknown_channel';

/** A refused channel or grant name, with a message safe to show the client. */
export interface ChannelParseFailure {
  /** Always false. */
  readonly ok: false;
  /** Why it was refused. */
  readonly code: ChannelErrorCode;
  /** What is wrong, naming the input. */
  readonly message: string;
}

/** Longest channel or grant name looked at; longer input is refused without being echoed. */
export const MAX_CHANNEL_NAME_LENGTH = 300;

/** Builds a {@link ChannelParseFailure}; `text` is quoted (shortened) in the message. */
export function channelFailure(code: ChannelErrorCode, what: string, text: string, problem: string): ChannelParseFailure {
  const shown = text.length > 64 ? `${text.slice(0, 61)}...` : text;
  return { ok: false, code, message: `${what} ${JSON.stringify(shown)}: ${problem}` };
}
