import { backoffDelay, type BackoffOptions } from './backoff-delay';
import type { ClientErrorCode } from './gateway-client-error';
import { GatewayCloseCode } from './protocol';

/** What to do after the connection closed with a code (docs/protocol.md, "Close codes"). */
export type CloseDecision =
  /** Reconnect: `soon` (a fraction of the base delay), `backoff` (the next exponential delay) or `long` (the maximum). */
  | { readonly action: 'reconnect'; readonly delay: 'soon' | 'backoff' | 'long' }
  /** Do not reconnect; close the client with this error code. */
  | { readonly action: 'stop'; readonly code: ClientErrorCode | 'auth_failed' | 'token_expired' };

/**
 * Follows the protocol's close code table: 1000 ends the client; 1001 (server going away)
 * reconnects soon; 4001 (auth failed) and 4003 (token expired) end it unless a token
 * function can supply a new token; 4008 (rate limited) waits long; anything else (1006,
 * 1011, 1013, 4009, ...) backs off.
 */
export function decideOnClose(closeCode: number, canFetchToken: boolean): CloseDecision {
  switch (closeCode) {
    case GatewayCloseCode.Normal:
      return { action: 'stop', code: 'connection_closed' };
    case GatewayCloseCode.GoingAway:
      return { action: 'reconnect', delay: 'soon' };
    case GatewayCloseCode.AuthFailed:
      return canFetchToken ? { action: 'reconnect', delay: 'backoff' } : { action: 'stop', code: 'auth_failed' };
    case GatewayCloseCode.TokenExpired:
      return canFetchToken ? { action: 'reconnect', delay: 'soon' } : { action: 'stop', code: 'token_expired' };
    case GatewayCloseCode.RateLimited:
      return { action: 'reconnect', delay: 'long' };
    default:
      return { action: 'reconnect', delay: 'backoff' };
  }
}

/**
 * The wait before the next connection attempt: `soon` is a random fraction of `baseMs`,
 * `long` lies between half of `maxMs` and `maxMs`, `backoff` is {@link backoffDelay} of the
 * attempt number.
 */
export function reconnectDelay(delay: 'soon' | 'backoff' | 'long', attempt: number, backoff: BackoffOptions, random: () => number): number {
  if (delay === 'soon') return Math.floor(random() * backoff.baseMs);
  if (delay === 'long') return Math.floor(backoff.maxMs / 2 + (random() * backoff.maxMs) / 2);
  return backoffDelay(attempt, backoff, random);
}
