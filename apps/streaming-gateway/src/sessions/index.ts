export {
  SessionFlusher,
  SessionFlusherOptionsError,
  type SessionFlushReport,
  type SessionFlusherOptions,
  type SessionFlusherStats,
} from './session-flusher';
export { SessionRecorder, type SessionRecorderOptions, type SessionSnapshot } from './session-recorder';
export { decodeSessionRecord, encodeSessionRecord, sessionKey, type SessionRecord } from './session-record';
export {
  SessionStore,
  SessionStoreOptionsError,
  type SessionBatchResult,
  type SessionStoreOptions,
  type SessionWrite,
  type SessionWriteOutcome,
} from './session-store';
