import type { ChannelGrant } from '../channels';
import type { SessionRecorder } from '../sessions';

/** The identity and rights of an authenticated connection. */
export interface ConnectionAuth {
  /** The token `sub`. */
  readonly subject: string;
  /** What it may subscribe to. */
  readonly grants: readonly ChannelGrant[];
  /** When the authentication ends, ms since the epoch. */
  readonly expiresAtMs: number;
}

/** The session of an authenticated connection. */
export interface ConnectionSession {
  /** Session id. */
  readonly id: string;
  /**
   * Channels of the resumed session not subscribed again yet, with their stored positions.
   * They stay in the session record until subscribed (the stored position is then the
   * default `since`, used once), unsubscribed or revoked.
   */
  readonly pending: Map<string, string | undefined>;
  /** Records the connection's channels and positions. */
  readonly recorder: SessionRecorder;
}
