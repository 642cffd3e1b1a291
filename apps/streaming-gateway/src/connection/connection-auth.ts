import type { ChannelGrant } from '../channels';

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
   * Channels of the resumed session not subscribed again yet, with their stored positions
   * (undefined when there are none). They stay in the session record until subscribed (the
   * stored position is then the default `since`, used once), unsubscribed or revoked.
   */
  pending?: Map<string, string | undefined>;
}
