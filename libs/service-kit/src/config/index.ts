export {
  bool,
  duration,
  envSchema,
  int,
  oneOf,
  optionalStr,
  serviceEnv,
  serviceSettings,
  str,
  type EnvSchema,
  type EnvVar,
  type EnvVarDoc,
  type ServiceSettings,
} from './env-schema';
export { isCorsOriginAllowed, parseCorsOrigins } from './cors-origins';
export { ENV_TABLE_END, ENV_TABLE_START, envTableProblems, formatEnvHelp, parseEnvTable, type EnvTableCheck, type EnvTableRow, type HelpVariable } from './env-table';
export { formatServiceUsage, helpRequested, type ServiceUsage } from './service-usage';
