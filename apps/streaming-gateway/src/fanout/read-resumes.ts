import type { Channel, ChannelStream } from '../channels';
import type { ResumeOutcome } from '../metrics';
import type { HistoryQuery } from './fanout';
import { planResume } from './plan-resume';
import type { ReplayedEvent, ReplayResult } from './read-replay';
import type { StreamPosition } from './stream-position';

/** What a subscribe needs from the fan-out (the `Fanout` provides it): whether a stream is read live, its position and history. */
export interface StreamHistory {
  /**
   * Whether the live reader of `stream` runs, so a subscription registered now misses no
   * event published from now on (after a Redis outage it catches up by itself).
   */
  isLive(stream: ChannelStream): boolean;
  /** Where `stream` stands now. */
  position(stream: ChannelStream): Promise<StreamPosition>;
  /** The history of one channel after a position. */
  replay(stream: ChannelStream, query: HistoryQuery): Promise<ReplayResult>;
}

/** One channel of a `subscribe` to resume: the channel and the position it resumes from, if any. */
export interface ResumeRequest {
  /** The channel. */
  readonly channel: Channel;
  /** The position resumed from (an explicit `since`, else the session's). */
  readonly since?: string;
}

/** What {@link readResumes} found for one channel. */
export interface ChannelResume {
  /** `recovered`, or why the channel starts at the live edge. */
  readonly outcome: ResumeOutcome;
  /** The stream's last id when the position was read: the end of the replay and the live floor. */
  readonly end: string;
  /** The events after the position, up to `end` (empty unless `recovered`). */
  readonly events: readonly ReplayedEvent[];
}

/**
 * Reads each stream's position once, then, for each channel with a position that
 * `planResume` accepts, its history up to that position's end. The verdict of a replay is the
 * replay's own (`readReplay` checks that nothing after `since` was lost before it was read),
 * not the position read before it: a trim landing between the two is caught. Results are in
 * the order of `requests`. Rejects when Redis cannot be read.
 */
export async function readResumes(history: Pick<StreamHistory, 'position' | 'replay'>, requests: readonly ResumeRequest[], cap: number): Promise<ChannelResume[]> {
  const positions = new Map<ChannelStream, Promise<StreamPosition>>();
  const positionOf = (stream: ChannelStream): Promise<StreamPosition> => {
    let position = positions.get(stream);
    if (!position) {
      position = history.position(stream);
      positions.set(stream, position);
    }
    return position;
  };
  return Promise.all(
    requests.map(async ({ channel, since }): Promise<ChannelResume> => {
      const position = await positionOf(channel.stream);
      const end = position.lastId;
      const plan = planResume(since, position);
      if (!plan.replay) return { outcome: plan.reason, end, events: [] };
      const replay = await history.replay(channel.stream, {
        since: plan.since,
        end,
        cap,
        ...(channel.subject === undefined ? {} : { subject: channel.subject }),
      });
      return replay.outcome === 'recovered' ? { outcome: 'recovered', end, events: replay.events } : { outcome: replay.outcome, end, events: [] };
    }),
  );
}
