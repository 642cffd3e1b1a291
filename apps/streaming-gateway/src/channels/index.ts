export {
  CHANNEL_SEPARATOR,
  formatChannel,
  isValidSubject,
  MAX_SUBJECT_LENGTH,
  WILDCARD,
  type Channel,
} from './channel';
export { parseGrant, type ChannelGrant, type ParseGrantResult } from './channel-grant';
export { GrantSets } from './grant-sets';
export { MAX_CHANNEL_NAME_LENGTH, type ChannelErrorCode, type ChannelParseFailure } from './channel-parse-failure';
export { CHANNEL_STREAMS, isChannelStream, type ChannelStream } from './channel-streams';
export { grantAllows, isChannelGranted } from './is-channel-granted';
export { channelMatchesEvent, channelNamesForEvent } from './match-event';
export { parseChannel, type ParseChannelResult } from './parse-channel';
