// The gateway's wire protocol (docs/protocol.md), mirrored for clients: frame types, codes,
// stream id ordering and a tolerant parser for server frames.
export type { AuthFrame, ClientFrame, PingFrame, RequestId, SubscribeFrame, UnsubscribeFrame } from './client-frames';
export type { CloudEvent } from './cloud-event';
export { GatewayCloseCode } from './close-codes';
export { ServerErrorCode } from './error-codes';
export { parseServerFrame, type ParsedServerFrame } from './parse-server-frame';
export type {
  AnnouncedLimits,
  AuthenticatedFrame,
  ErrorFrame,
  EventFrame,
  NotRecoveredReason,
  PongFrame,
  ServerFrame,
  SessionInfo,
  SubscribedChannel,
  SubscribedFrame,
  TokenExpiringFrame,
  UnsubscribedFrame,
  UnsubscribeReason,
  WelcomeFrame,
} from './server-frames';
export { compareStreamIds, isStreamId } from './stream-id';
