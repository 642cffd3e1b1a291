// The gateway's side of the wire protocol: parsing client frames, encoding server frames,
// close reasons and rate limits. Server frame types and codes are the SDK's
// (`@rebal/gateway-client`), defined once for both ends.
export {
  CLIENT_OPS,
  type AuthFrame,
  type ClientFrame,
  type ClientOp,
  type PingFrame,
  type RequestId,
  type SubscribeFrame,
  type SubscribeRequest,
  type UnsubscribeFrame,
} from './client-frames';
export { MAX_REQUEST_ID_LENGTH, SESSION_ID_PATTERN } from './client-frame-schemas';
export { CLOSE_REASONS, type SentCloseCode } from './close-codes';
export { encodeError, encodeEvent, encodeFrame, type EncodeEventInput } from './encode-server-frame';
export type { FrameError } from './frame-error';
export {
  parseClientFrame,
  readRequestId,
  type ParseClientFrameOptions,
  type ParseClientFrameResult,
  type RawFrame,
} from './parse-client-frame';
export { PROTOCOL_DEFAULTS, PROTOCOL_VERSION, WS_PATH } from './protocol-defaults';
export { framePing, frameText, heartbeatPing, type FramedText } from './frame-text';
export { RateLimiter, RateLimiterOptionsError, type RateLimitDecision, type RateLimiterOptions, type TokenBucket } from './rate-limiter';
