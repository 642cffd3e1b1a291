import { parseDocument } from 'yaml';
import { imageReferenceViolation } from './image-reference';

/** The parts of a compose service these checks read. */
interface ComposeService {
  image?: string;
  command?: string | string[];
  volumes?: (string | { target?: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
  read_only?: boolean;
  build?: unknown;
}

/** Options of {@link composeViolations}. */
export interface ComposeRuleOptions {
  /** Name of the Redis service (default `redis`). */
  readonly redisService?: string;
}

/** The `--flag value` pairs of a redis-server command line (string or list form). */
export function redisServerFlags(command: string | readonly string[] | undefined): Map<string, string> {
  const words = typeof command === 'string' ? command.trim().split(/\s+/) : [...(command ?? [])];
  const flags = new Map<string, string>();
  words.forEach((word, index) => {
    if (word.startsWith('--')) flags.set(word.slice(2), words[index + 1] ?? '');
  });
  return flags;
}

function redisViolations(name: string, redis: ComposeService | undefined): string[] {
  if (!redis) return [`no ${name} service`];
  const violations: string[] = [];
  const image = redis.image ? imageReferenceViolation(redis.image, { exactVersion: true }) : 'has no image';
  if (image) violations.push(`${name}: ${image}`);
  const flags = redisServerFlags(redis.command);
  if (flags.get('appendonly') !== 'yes') violations.push(`${name}: redis-server without --appendonly yes (alerts and streams must survive a restart)`);
  if (flags.get('appendfsync') !== undefined && flags.get('appendfsync') !== 'everysec' && flags.get('appendfsync') !== 'always') {
    violations.push(`${name}: --appendfsync ${flags.get('appendfsync')} can lose more than a second of writes`);
  }
  if (flags.get('maxmemory-policy') !== 'noeviction') violations.push(`${name}: redis-server without --maxmemory-policy noeviction (an evicting policy drops alerts)`);
  const dataVolume = (redis.volumes ?? []).some((volume) => (typeof volume === 'string' ? volume.split(':')[1] : volume.target) === '/data');
  if (!dataVolume) violations.push(`${name}: no volume on /data (the append-only file would die with the container)`);
  if (!redis.healthcheck?.test) violations.push(`${name}: no healthcheck`);
  return violations;
}

function serviceViolations(name: string, service: ComposeService, redisService: string, services: Readonly<Record<string, ComposeService>>): string[] {
  const violations: string[] = [];
  if (!service.healthcheck?.test || service.healthcheck.disable) violations.push(`${name}: no healthcheck`);
  if (service.read_only !== true) violations.push(`${name}: root filesystem is not read_only`);
  const dependsOn = service.depends_on;
  if (!dependsOn || Array.isArray(dependsOn)) {
    violations.push(`${name}: depends_on must be the long form with condition: service_healthy`);
    return violations;
  }
  if (!dependsOn[redisService]) violations.push(`${name}: does not depend on ${redisService}`);
  for (const [dependency, { condition } = {}] of Object.entries(dependsOn)) {
    if (!services[dependency]) violations.push(`${name}: depends on unknown service ${dependency}`);
    if (condition !== 'service_healthy') violations.push(`${name}: depends on ${dependency} with condition ${condition ?? 'none'}, not service_healthy`);
  }
  return violations;
}

/**
 * What a compose file breaks of the local container stack's rules (empty when none): it parses
 * as YAML (merge keys allowed); its Redis image is pinned to an exact release and runs with
 * `--appendonly yes` (fsync everysec or always) and `--maxmemory-policy noeviction`, with a volume
 * on /data and a healthcheck; every other service has a healthcheck, a read-only root filesystem
 * and waits for Redis (and anything else it depends on) with `condition: service_healthy`.
 */
export function composeViolations(text: string, options: ComposeRuleOptions = {}): string[] {
  const redisService = options.redisService ?? 'redis';
  const document = parseDocument(text, { merge: true });
  if (document.errors.length > 0) return document.errors.map((error) => `not valid YAML: ${error.message}`);
  const services = (document.toJS() as { services?: Record<string, ComposeService> } | null)?.services;
  if (!services || Object.keys(services).length === 0) return ['no services'];
  const violations = redisViolations(redisService, services[redisService]);
  for (const [name, service] of Object.entries(services)) {
    if (name !== redisService) violations.push(...serviceViolations(name, service, redisService, services));
  }
  return violations;
}
