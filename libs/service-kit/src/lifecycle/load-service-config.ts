import { ConfigError, REDIS_CONFIG_VARIABLES } from '@rebal/redis-client';
import { formatServiceUsage, helpRequested, type HelpVariable } from '../config';

/** What {@link loadServiceConfig} needs from a service's `main.ts`. */
export interface LoadServiceConfigOptions<C> {
  /** The service's name, used in `--help` and in the error line. */
  readonly name: string;
  /** One or two sentences for `--help`: what the service does. */
  readonly summary: string;
  /** The service's own variables (`EnvSchema.describe()`); the Redis ones are added. */
  readonly variables: readonly HelpVariable[];
  /** Reads the configuration; throws `ConfigError` naming the variable for a bad value. */
  readonly parse: (env: Record<string, string | undefined>) => C;
  /** Command line (default `process.argv`). */
  readonly argv?: readonly string[];
  /** Environment (default `process.env`). */
  readonly env?: Record<string, string | undefined>;
  /** Where help goes (default `process.stdout`). */
  readonly stdout?: { write(text: string): unknown };
  /** Where the error line goes (default `process.stderr`). */
  readonly stderr?: { write(text: string): unknown };
  /** Ends the process (default `process.exit`). */
  readonly exit?: (code: number) => never;
}

/**
 * The start of every service's `main.ts`: prints `--help` (every variable with its default)
 * and exits 0, or parses the environment and, on a bad setting, prints one line naming the
 * variable (never a secret's value) and exits 2. Any other error is thrown as it is.
 */
export function loadServiceConfig<C>(options: LoadServiceConfigOptions<C>): C {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  if (helpRequested(options.argv ?? process.argv)) {
    (options.stdout ?? process.stdout).write(
      formatServiceUsage({ name: options.name, summary: options.summary, variables: options.variables, redisVariables: REDIS_CONFIG_VARIABLES }),
    );
    return exit(0);
  }
  try {
    return options.parse(options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    (options.stderr ?? process.stderr).write(`${options.name}: invalid configuration: ${error.message}\n`);
    return exit(2);
  }
}
