export { SessionRecorder, type SessionRecorderOptions, type SessionSnapshot } from './session-recorder';
export { decodeSessionRecord, encodeSessionRecord, sessionKey, type SessionRecord } from './session-record';
export { SessionStore, SessionStoreOptionsError, type SessionStoreOptions } from './session-store';
