import { GatewayCloseCode } from '@rebal/gateway-client';

/** A close code the gateway sends: every {@link GatewayCloseCode} but 1006, which is never sent. */
export type SentCloseCode = Exclude<GatewayCloseCode, typeof GatewayCloseCode.Abnormal>;

/** The reason text sent with each close code (each below the 123-byte close-reason limit). */
export const CLOSE_REASONS: Readonly<Record<SentCloseCode, string>> = {
  [GatewayCloseCode.Normal]: 'normal closure',
  [GatewayCloseCode.GoingAway]: 'server shutting down',
  [GatewayCloseCode.MessageTooBig]: 'frame too large',
  [GatewayCloseCode.InternalError]: 'internal error',
  [GatewayCloseCode.TryAgainLater]: 'try again later',
  [GatewayCloseCode.AuthFailed]: 'authentication failed',
  [GatewayCloseCode.AuthTimeout]: 'authentication timeout',
  [GatewayCloseCode.TokenExpired]: 'token expired',
  [GatewayCloseCode.RateLimited]: 'rate limit exceeded',
  [GatewayCloseCode.SlowConsumer]: 'slow consumer',
};
