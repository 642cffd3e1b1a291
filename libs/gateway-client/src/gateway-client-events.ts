import type { ConnectionState } from './connection-state';
import type { GatewayClientErrorCode, GatewayErrorDetails } from './gateway-client-error';
import type { AuthenticatedFrame, CloudEvent, NotRecoveredReason, WelcomeFrame } from './protocol';

/** The events of `GatewayClient`: event name → listener arguments. */
export interface GatewayClientEvents {
  /**
   * One event on a subscribed channel, in stream order, each stream `id` at most once per
   * channel (ids not above the channel's last id are dropped).
   */
  message: [channel: string, id: string, event: CloudEvent];
  /**
   * The outcome of (re)subscribing a channel. `recovered: false` means events may have been
   * missed (`reason`: `no_position`, `trimmed`, `replay_cap`): refetch the channel's state.
   */
  recovered: [channel: string, recovered: boolean, reason: NotRecoveredReason | undefined];
  /** Something failed: an `error` frame from the gateway or a client-side failure. */
  error: [code: GatewayClientErrorCode, message: string, details: GatewayErrorDetails];
  /** The connection state changed. */
  state: [state: ConnectionState, previous: ConnectionState];
  /** A connection authenticated (first connect and every reconnect). */
  welcome: [frame: WelcomeFrame];
  /** A token refresh was applied. */
  authenticated: [frame: AuthenticatedFrame];
  /** The connection closed (by the server, the network or a heartbeat timeout). */
  disconnect: [closeCode: number, reason: string];
  /** A token refresh revoked these channels: they are no longer subscribed. */
  revoked: [channels: readonly string[]];
  /** The gateway announced the token expires soon (the client refreshes it when `token` is a function). */
  tokenExpiring: [expiresAt: number];
}
