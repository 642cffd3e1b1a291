import type { Channel } from './channel';
import type { ChannelGrant } from './channel-grant';

/** Whether one grant allows subscribing to `channel` (see {@link ChannelGrant}). */
export function grantAllows(grant: ChannelGrant, channel: Channel): boolean {
  switch (grant.kind) {
    case 'all':
      return true;
    case 'stream':
      return grant.stream === channel.stream;
    case 'any_subject':
      return grant.stream === channel.stream && channel.subject !== undefined;
    case 'subject':
      return grant.stream === channel.stream && grant.subject === channel.subject;
  }
}

/** Whether any of `grants` allows subscribing to `channel`. No grants allow nothing. */
export function isChannelGranted(channel: Channel, grants: readonly ChannelGrant[]): boolean {
  return grants.some((grant) => grantAllows(grant, channel));
}
