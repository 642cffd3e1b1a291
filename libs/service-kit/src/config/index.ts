export { bool, duration, envSchema, int, oneOf, optionalStr, serviceEnv, str, type EnvSchema, type EnvVar, type EnvVarDoc } from './env-schema';
