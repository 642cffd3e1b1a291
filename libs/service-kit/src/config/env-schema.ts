import { hostname } from 'node:os';
import { ConfigError, formatDurationMs, parseDurationMs } from '@rebal/redis-client';

/** How one environment variable is read: its default, its documentation and its parser. */
export interface EnvVar<T> {
  /** Default as documented (`undefined`: required or optional without default). */
  readonly defaultText: string;
  readonly description: string;
  /** Whether the value is a secret (never printed, shown as such in docs). */
  readonly secret: boolean;
  /** Parses the raw value (`undefined` when unset); throws a plain message on bad input. */
  parse(raw: string | undefined, env: Record<string, string | undefined>): T;
}

/** A documented environment variable, as listed in the README's table. */
export interface EnvVarDoc {
  name: string;
  default: string;
  description: string;
  secret: boolean;
}

type Spec = Record<string, EnvVar<unknown>>;
type Parsed<S extends Spec> = { [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

/** A set of environment variables that parses all at once and documents itself. */
export interface EnvSchema<S extends Spec> {
  /** Parses `env`; the first bad value throws `ConfigError` naming its variable. */
  parse(env: Record<string, string | undefined>): Parsed<S>;
  /** Every variable with default and description, for docs and the README test. */
  describe(): EnvVarDoc[];
}

/** Declares a service's environment variables (see the builders `str`, `int`, `bool`, `oneOf`, `duration`). */
export function envSchema<S extends Spec>(spec: S): EnvSchema<S> {
  return {
    parse(env) {
      const out: Record<string, unknown> = {};
      for (const [name, variable] of Object.entries(spec)) {
        const raw = env[name];
        try {
          out[name] = variable.parse(raw === '' ? undefined : raw, env);
        } catch (error) {
          if (error instanceof ConfigError) throw error;
          const message = error instanceof Error ? error.message : String(error);
          throw new ConfigError(name, variable.secret ? message : `${message} (got ${JSON.stringify(raw)})`);
        }
      }
      return out as Parsed<S>;
    },
    describe() {
      return Object.entries(spec).map(([name, v]) => ({ name, default: v.defaultText, description: v.description, secret: v.secret }));
    },
  };
}

interface Common<T> {
  description: string;
  default?: T;
  /** Shown in docs instead of the default's value (e.g. "the host name"). */
  defaultText?: string;
  secret?: boolean;
}

function required<T>(what: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`is required (${what})`);
  return value;
}

interface StringOptions extends Common<string> {
  pattern?: RegExp;
  /** How the pattern is described in errors, e.g. "a slug". */
  patternText?: string;
}

function checkPattern(o: StringOptions, value: string): string {
  if (o.pattern && !o.pattern.test(value)) throw new Error(`must be ${o.patternText ?? `like ${o.pattern}`}`);
  return value;
}

/** A string with a default, or required when it has none. */
export function str(o: StringOptions): EnvVar<string> {
  return {
    defaultText: o.defaultText ?? o.default ?? 'required',
    description: o.description,
    secret: o.secret ?? false,
    parse(raw) {
      return checkPattern(o, required('a value', raw ?? o.default));
    },
  };
}

/** A string that may be unset. */
export function optionalStr(o: Omit<StringOptions, 'default'>): EnvVar<string | undefined> {
  return {
    defaultText: o.defaultText ?? 'none',
    description: o.description,
    secret: o.secret ?? false,
    parse(raw) {
      return raw === undefined ? undefined : checkPattern(o, raw);
    },
  };
}

/** An integer within [min, max]. */
export function int(o: Common<number> & { min?: number; max?: number }): EnvVar<number> {
  return {
    defaultText: o.defaultText ?? (o.default === undefined ? 'required' : String(o.default)),
    description: o.description,
    secret: false,
    parse(raw) {
      if (raw === undefined) return required('a number', o.default);
      if (!/^-?\d+$/.test(raw.trim())) throw new Error('must be an integer');
      const value = Number(raw);
      if (o.min !== undefined && value < o.min) throw new Error(`must be at least ${o.min}`);
      if (o.max !== undefined && value > o.max) throw new Error(`must be at most ${o.max}`);
      return value;
    },
  };
}

/** A boolean: true/false, 1/0, yes/no, on/off. */
export function bool(o: Common<boolean>): EnvVar<boolean> {
  return {
    defaultText: o.defaultText ?? String(o.default ?? false),
    description: o.description,
    secret: false,
    parse(raw) {
      if (raw === undefined) return o.default ?? false;
      const v = raw.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(v)) return true;
      if (['false', '0', 'no', 'off'].includes(v)) return false;
      throw new Error('must be true or false');
    },
  };
}

/** One of a fixed list of values. */
export function oneOf<const V extends string>(values: readonly V[], o: Common<V>): EnvVar<V> {
  return {
    defaultText: o.defaultText ?? o.default ?? 'required',
    description: `${o.description} (${values.join(', ')})`,
    secret: false,
    parse(raw) {
      const value: string = required('a value', raw ?? o.default);
      if (!values.includes(value as V)) throw new Error(`must be one of ${values.join(', ')}`);
      return value as V;
    },
  };
}

/** A duration in milliseconds, written as `500ms`, `30s`, `5m`, `1h` or a bare number of milliseconds. */
export function duration(o: Common<number> & { min?: number; max?: number }): EnvVar<number> {
  return {
    defaultText: o.defaultText ?? (o.default === undefined ? 'required' : formatDurationMs(o.default)),
    description: o.description,
    secret: false,
    parse(raw) {
      if (raw === undefined) return required('a duration', o.default);
      const value = parseDurationMs(raw);
      if (value === undefined) throw new Error('must be a duration such as 500ms, 30s, 5m, 1h');
      if (o.min !== undefined && value < o.min) throw new Error(`must be at least ${formatDurationMs(o.min)}`);
      if (o.max !== undefined && value > o.max) throw new Error(`must be at most ${formatDurationMs(o.max)}`);
      return value;
    },
  };
}

/** The variables every service reads: port, log level, instance id, version. */
export function serviceEnv(defaultPort: number) {
  return {
    PORT: int({ default: defaultPort, min: 0, max: 65535, description: 'HTTP port (`/livez`, `/readyz`, `/metrics` and the API)' }),
    HOST: str({ default: '0.0.0.0', description: 'address the HTTP server binds' }),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { default: 'info', description: 'pino log level' }),
    INSTANCE_ID: str({
      default: `${hostname()}-${process.pid}`,
      defaultText: '`<hostname>-<pid>` (the pod name in Kubernetes)',
      pattern: /^[A-Za-z0-9._-]{1,100}$/,
      patternText: '1 to 100 letters, digits, ".", "_" or "-"',
      description: 'this replica\'s id: its consumer name and, for the gateway, its group `gateway.<id>`',
    }),
    SERVICE_VERSION: str({ default: '0.1.0', description: 'version reported in heartbeats' }),
  };
}

/** The settings every service reads through {@link serviceEnv}. */
export interface ServiceSettings {
  /** HTTP port (`PORT`; 0 picks a free one). */
  readonly port: number;
  /** Address the HTTP server binds (`HOST`, default `0.0.0.0`). */
  readonly host: string;
  /** This replica's id (`INSTANCE_ID`, default `<hostname>-<pid>`): its consumer name, and the gateway's group `gateway.<id>`. */
  readonly instanceId: string;
  /** Version reported in heartbeats (`SERVICE_VERSION`, default `0.1.0`). */
  readonly version: string;
  /** pino level (`LOG_LEVEL`, default `info`). */
  readonly logLevel: string;
}

/** The {@link ServiceSettings} out of variables parsed with {@link serviceEnv}. */
export function serviceSettings(vars: { PORT: number; HOST: string; INSTANCE_ID: string; SERVICE_VERSION: string; LOG_LEVEL: string }): ServiceSettings {
  return { port: vars.PORT, host: vars.HOST, instanceId: vars.INSTANCE_ID, version: vars.SERVICE_VERSION, logLevel: vars.LOG_LEVEL };
}
