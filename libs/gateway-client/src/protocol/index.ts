// The gateway's wire protocol (docs/protocol.md): server frame types and codes (the gateway
// itself uses these), stream id ordering and a tolerant parser for server frames.
export type { AuthFrame, ClientFrame, PingFrame, RequestId, SubscribeFrame, UnsubscribeFrame } from './client-frames';
export type { CloudEvent } from './cloud-event';
export { GatewayCloseCode } from './close-codes';
export { isServerErrorCode, SERVER_ERROR_CODES, ServerErrorCode } from './error-codes';
export { parseServerFrame, type ParsedServerFrame } from './parse-server-frame';
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
