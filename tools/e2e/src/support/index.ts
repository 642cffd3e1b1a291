// Helpers of the end-to-end tests: processes (built services, process groups, watchdogs),
// ports, /proc, tokens, the alert API, and a headless Chromium.
export { AlertApiCallError, AlertApiClient, type AlertJson } from './alert-api-client';
export { buildApp, buildConsole, snapshotBuild } from './build-app';
export { BuiltService, type BuiltServiceOptions, type ServiceLogLine } from './built-service';
export { freePortBase, type FreePortBaseOptions } from './free-port-base';
export { GroupProcess, type GroupProcessOptions, type ProcessExit } from './group-process';
export { CHROMIUM_ARGS, chromiumPath, DEFAULT_CHROMIUM_BIN, launchChromium, type LaunchChromiumOptions } from './launch-chromium';
export { mintToken, type MintTokenOptions } from './mint-token';
export { OutputLog } from './output-log';
export { PageProblems } from './page-problems';
export { canBind, isPortOpen } from './port-probe';
export { describeProcs, groupMembers, processTree, readProc, readProcTable, stillRunning, type ProcInfo } from './proc-table';
export { REPO_ROOT } from './repo-root';
export { REDIS_ACL_USERS, SecureRedis, type AclLogEntry, type RedisAclUser, type SecureRedisOptions } from './secure-redis';
