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
export { CLOSE_REASONS, CloseCode } from './close-codes';
export { encodeError, encodeEvent, encodeFrame, type EncodeEventInput } from './encode-server-frame';
export { ERROR_CODES, ErrorCode, isErrorCode } from './error-codes';
export type { FrameError } from './frame-error';
export {
  parseClientFrame,
  type ParseClientFrameOptions,
  type ParseClientFrameResult,
  type RawFrame,
} from './parse-client-frame';
export { PROTOCOL_DEFAULTS, PROTOCOL_VERSION, WS_PATH } from './protocol-defaults';
export { RateLimiter, RateLimiterOptionsError, type RateLimitDecision, type RateLimiterOptions } from './rate-limiter';
export {
  SERVER_FRAME_TYPES,
  type AnnouncedLimits,
  type AuthenticatedFrame,
  type ErrorFrame,
  type EventFrame,
  type NotRecoveredReason,
  type PongFrame,
  type ServerFrame,
  type SessionInfo,
  type SubscribedChannel,
  type SubscribedFrame,
  type TokenExpiringFrame,
  type UnsubscribedFrame,
  type UnsubscribeReason,
  type WelcomeFrame,
} from './server-frames';
export { compareStreamIds, isStreamId } from './stream-id';
