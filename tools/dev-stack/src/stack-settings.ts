import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_PORT_BASE, MAX_PORT_BASE, planPorts, type PortPlan } from './port-plan';

/** Port of the stack's own Redis when `REDIS_PORT` is unset. */
export const DEFAULT_REDIS_PORT = 6379;

/** The local stack's settings, read from the environment once at start. */
export interface StackSettings {
  /** `REBAL_DATA_DIR` as an absolute path (default `<repo>/.data`): the local Redis AOF and the JWT secret. */
  readonly dataDir: string;
  /** `REBAL_PORT_BASE` (default 8080). */
  readonly portBase: number;
  /** Every service's HTTP port, from the base. */
  readonly ports: PortPlan;
  /** `REDIS_PORT` (default 6379): where the stack's own Redis listens when `REDIS_URL` is unset. */
  readonly redisPort: number;
  /** `REDIS_URL` when set: use that Redis, start none. */
  readonly redisUrl: string | undefined;
}

/** A variable of the local stack has a bad value; `variable` names it. */
export class StackSettingError extends Error {
  /** Stable code callers test. */
  readonly code = 'ERR_STACK_SETTING';

  constructor(
    /** The environment variable at fault, e.g. `REBAL_PORT_BASE`. */
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = 'StackSettingError';
  }
}

function port(env: Readonly<Record<string, string | undefined>>, variable: string, fallback: number, max: number, hint: string): number {
  const text = env[variable]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= max)) throw new StackSettingError(variable, `must be ${hint} from 1 to ${max}, got "${text}"`);
  return value;
}

/**
 * Reads the local stack's variables (pure: no I/O). `REBAL_DATA_DIR` is resolved against the
 * repository `root` when relative; `REBAL_PORT_BASE` must leave room for the 3 ports after it;
 * the local Redis port must not be one of the services' ports.
 * @throws StackSettingError naming the variable at fault
 */
export function parseStackSettings(env: Readonly<Record<string, string | undefined>>, root: string): StackSettings {
  const rawDir = env['REBAL_DATA_DIR'];
  if (rawDir !== undefined && rawDir.trim() === '') throw new StackSettingError('REBAL_DATA_DIR', 'must be a directory path, got an empty value (unset it for <repo>/.data)');
  if (rawDir?.includes('\0')) throw new StackSettingError('REBAL_DATA_DIR', 'must be a directory path, got a value with a NUL character');
  const dataDir = rawDir === undefined ? resolve(root, '.data') : isAbsolute(rawDir) ? resolve(rawDir) : resolve(root, rawDir);
  const portBase = port(env, 'REBAL_PORT_BASE', DEFAULT_PORT_BASE, MAX_PORT_BASE, 'a TCP port number (the gateway\'s; the next 3 go to the other services)');
  const ports = planPorts(portBase);
  const redisUrl = env['REDIS_URL']?.trim() || undefined;
  const redisPort = port(env, 'REDIS_PORT', DEFAULT_REDIS_PORT, 65_535, 'a TCP port number');
  if (redisUrl === undefined) {
    const clash = Object.entries(ports).find(([, p]) => p === redisPort);
    if (clash) throw new StackSettingError('REDIS_PORT', `${redisPort} is the ${clash[0]}'s port under REBAL_PORT_BASE=${portBase}; pick another port or base`);
  }
  return { dataDir, portBase, ports, redisPort, redisUrl };
}
