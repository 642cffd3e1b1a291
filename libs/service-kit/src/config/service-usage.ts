import { formatEnvHelp, type HelpVariable } from './env-table';

/** What a service's `--help` says. */
export interface ServiceUsage {
  /** The service's name, e.g. `alert-service`. */
  readonly name: string;
  /** One or two sentences: what it does. */
  readonly summary: string;
  /** The service's own variables (`EnvSchema.describe()`). */
  readonly variables: readonly HelpVariable[];
  /** The Redis connection variables every service shares (`REDIS_CONFIG_VARIABLES`). */
  readonly redisVariables: readonly HelpVariable[];
}

/** True when the command line asks for help (`--help` or `-h`). */
export function helpRequested(argv: readonly string[]): boolean {
  return argv.slice(2).some((arg) => arg === '--help' || arg === '-h');
}

/** The `--help` text: usage, summary and every environment variable with its default. */
export function formatServiceUsage(usage: ServiceUsage): string {
  return [
    `Usage: ${usage.name} [--help]`,
    '',
    usage.summary,
    'Every setting comes from the environment; a bad value stops start-up with its name (exit code 2).',
    '',
    'Environment:',
    formatEnvHelp(usage.variables),
    '',
    'Redis connection:',
    formatEnvHelp(usage.redisVariables),
    '',
  ].join('\n');
}
