export { decodeSessionRecord, encodeSessionRecord, sessionKey, type SessionRecord } from './session-record';
export {
  SessionStore,
  SessionStoreOptionsError,
  type SessionBatchResult,
  type SessionStoreOptions,
  type SessionWrite,
  type SessionWriteOutcome,
} from './session-store';
export { SessionWriter, type SessionWriterOptions, type SessionWriterStats } from './session-writer';
