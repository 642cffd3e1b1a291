import { GatewayCloseCode, ServerErrorCode } from '@rebal/gateway-client';
import { TokenErrorCode, type TokenError } from '@rebal/service-kit';
import { type SentCloseCode } from '../protocol';

/**
 * Why a client's token was refused: the shared verifier's codes and the two of the gateway's
 * claim reader.
 */
export const AuthErrorCode = {
  ...TokenErrorCode,
  /** No channels claim: the token grants nothing this gateway understands. */
  ChannelsMissing: 'ERR_AUTH_CHANNELS_MISSING',
  /** The channels claim is not an array of strings. */
  ChannelsInvalid: 'ERR_AUTH_CHANNELS_INVALID',
} as const;

/** One of the {@link AuthErrorCode} values. */
export type AuthErrorCode = (typeof AuthErrorCode)[keyof typeof AuthErrorCode];

/** A refused client token (the message never contains the token). */
export type AuthError = TokenError<AuthErrorCode>;

/**
 * The protocol error code to answer a refused token with: `token_expired` for an expired
 * token, `unavailable` when the keys could not be fetched (retry later), `auth_failed`
 * otherwise.
 */
export function protocolErrorCodeFor(code: AuthErrorCode): ServerErrorCode {
  if (code === AuthErrorCode.TokenExpired) return ServerErrorCode.TokenExpired;
  if (code === AuthErrorCode.KeyUnavailable) return ServerErrorCode.Unavailable;
  return ServerErrorCode.AuthFailed;
}

/**
 * The close code for a refused FIRST authentication (a refused refresh closes nothing):
 * 4003 for an expired token, 1013 (try again later) when the keys could not be fetched,
 * 4001 otherwise. Send the `error` frame first.
 */
export function closeCodeForAuthError(code: AuthErrorCode): SentCloseCode {
  if (code === AuthErrorCode.TokenExpired) return GatewayCloseCode.TokenExpired;
  if (code === AuthErrorCode.KeyUnavailable) return GatewayCloseCode.TryAgainLater;
  return GatewayCloseCode.AuthFailed;
}
