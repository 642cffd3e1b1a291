import type { ConnectionState, NotRecoveredReason } from '@rebal/gateway-client';

/** How the channels came back after (re)subscribing on a connection. */
export type ResumeKind =
  /** Every channel started at the live edge: a first visit (nothing to resume). */
  | 'fresh'
  /** At least one channel resumed from its position and none missed events. */
  | 'gapless'
  /** At least one channel could not resume (`trimmed`, `replay_cap`): events may be missing. */
  | 'gap';

/** A channel that could not resume, and why. */
export interface ChannelGap {
  readonly channel: string;
  readonly reason: NotRecoveredReason | 'unknown';
}

/** What the connection banner shows. */
export type ConnectionView =
  | { readonly kind: 'connecting'; readonly state: ConnectionState }
  | {
      readonly kind: 'connected';
      /** Every channel confirmed on this connection. */
      readonly ready: boolean;
      /** The confirmed channels, in the order given. */
      readonly subscribed: readonly string[];
      /** Once `ready`: how they came back. */
      readonly resume: ResumeKind | undefined;
      readonly gaps: readonly ChannelGap[];
      /** When the connection authenticated, ms since the epoch. */
      readonly since: number;
    }
  | { readonly kind: 'reconnecting'; readonly retryAt: number | undefined }
  | { readonly kind: 'closed'; readonly reason: string };

/**
 * Follows the SDK's `state`, `recovered` and `error` events for the channels the console reads
 * and says what the banner shows: connecting; connected, with whether the channels resumed
 * without a gap; reconnecting, with the next attempt's time; closed, with why.
 */
export class ConnectionTracker {
  private viewValue: ConnectionView = { kind: 'connecting', state: 'idle' };
  private readonly outcomes = new Map<string, { recovered: boolean; reason: NotRecoveredReason | undefined }>();
  private lastError = '';

  constructor(private readonly channels: readonly string[]) {}

  /** The current view. */
  get view(): ConnectionView {
    return this.viewValue;
  }

  /** The client's state changed; `retryAt` is the next attempt's time when it is `reconnecting`. */
  state(state: ConnectionState, now: number, retryAt?: number): ConnectionView {
    if (state !== 'authenticated') this.outcomes.clear();
    if (state === 'authenticated') this.viewValue = this.connected(now);
    else if (state === 'reconnecting') this.viewValue = { kind: 'reconnecting', retryAt };
    else if (state === 'closed') this.viewValue = { kind: 'closed', reason: this.lastError || 'the connection was closed' };
    else this.viewValue = { kind: 'connecting', state };
    return this.viewValue;
  }

  /** A channel's `recovered` outcome on this connection. */
  recovered(channel: string, recovered: boolean, reason: NotRecoveredReason | undefined): ConnectionView {
    if (!this.channels.includes(channel)) return this.viewValue;
    this.outcomes.set(channel, { recovered, reason });
    if (this.viewValue.kind === 'connected') this.viewValue = this.connected(this.viewValue.since);
    return this.viewValue;
  }

  /** The client reported an error: kept as the reason should the client close. */
  error(code: string, message: string): void {
    this.lastError = `${code}: ${message}`;
  }

  private connected(since: number): ConnectionView {
    const subscribed = this.channels.filter((channel) => this.outcomes.has(channel));
    const ready = subscribed.length === this.channels.length;
    const outcomes = [...this.outcomes.entries()];
    const gaps = outcomes.filter(([, o]) => !o.recovered && o.reason !== 'no_position').map(([channel, o]) => ({ channel, reason: o.reason ?? ('unknown' as const) }));
    const resumed = outcomes.some(([, o]) => o.recovered);
    const resume: ResumeKind | undefined = !ready ? undefined : gaps.length > 0 ? 'gap' : resumed ? 'gapless' : 'fresh';
    return { kind: 'connected', ready, subscribed, resume, gaps, since };
  }
}
