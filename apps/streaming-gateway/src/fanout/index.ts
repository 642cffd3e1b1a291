export { Fanout, type FanoutOptions, type HistoryQuery } from './fanout';
export { planResume, type ResumePlan } from './plan-resume';
export { readResumes, type ChannelResume, type ResumeRequest, type StreamHistory } from './read-resumes';
export { readReplay, type ReadReplayOptions, type ReplayedEvent, type ReplayResult } from './read-replay';
export { StreamFanout, type FanoutEventHandler, type StreamFanoutOptions } from './stream-fanout';
export { parseStreamInfo, readStreamPosition, type StreamPosition } from './stream-position';
export { Subscription, type SubscriptionSink } from './subscription';
export { SubscriptionIndex, type DispatchResult } from './subscription-index';
