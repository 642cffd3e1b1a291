// Security checks of the end-to-end stack (issue 7): the secret scanner every run ends with,
// and the probes the security suite uses (forged tokens, a bare WebSocket client, raw Redis
// connections, OpenAPI operations, the ACL expectations of docs/operations.md section 2).
export { FOREIGN_APPENDS, readDryRun, ROW_EXPECTATIONS, SERVICE_USERS, STREAM_TAMPERING, type AclExpectation, type DryRunOutcome } from './acl-expectations';
export { describeSecretLeaks, findSecretLeaks, type FindSecretLeaksOptions, type ScannedText, type SecretLeak } from './find-secret-leaks';
export { hostileTokens, type HostileToken, type HostileTokensOptions, type HostileTokenVerdict } from './hostile-tokens';
export { httpProbe, type HttpProbeOptions, type HttpProbeResult } from './http-probe';
export { inBatches } from './in-batches';
export { observeUnreadyService, type ObserveUnreadyServiceOptions, type UnreadyServiceReport } from './observe-unready-service';
export { listOperations, type ApiOperation, type ListOperationsOptions } from './openapi-operations';
export { rawRedisCommands, type RawRedisOptions, type RawRedisOutcome } from './raw-redis-probe';
export { secretForms, type SecretForm, type SecretFormName } from './secret-forms';
export { WsProbe, type ProbeClose, type ProbeFrame, type WsProbeOptions } from './ws-probe';
