import { REDIS_CONFIG_VARIABLES } from '../config';

const WIDTH = 88;

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** The doctor CLI's `--help` text, with the Redis variables as `parseRedisConfig` documents them. */
export function doctorUsage(): string {
  const variables = REDIS_CONFIG_VARIABLES.filter((variable) => variable.name !== 'CACHE_REDIS_URL').flatMap((variable) => [
    `  ${variable.name}  (default: ${variable.default})`,
    ...wrap(variable.description, '      '),
  ]);
  return `Usage: npx nx run redis-client:doctor [-- options]
       tsx libs/redis-client/src/doctor/doctor-cli.ts [options]

Checks that a Redis is fit for Rebal Realtime and prints the fix for each problem:
reachable and fast, Redis 7.0 or later, AOF persistence (appendonly yes, appendfsync
everysec), maxmemory-policy noeviction, memory headroom, and every platform stream with
its consumer groups, pending entries, lag and dead-letter stream. On a Cluster the
server checks run on every master. The cache's Redis (CACHE_REDIS_URL) is not checked:
it may evict.

Options:
  --url <redis-url>    check this single server instead of the environment's Redis
                       (the Sentinel and Cluster variables are then ignored)
  --json               print the report as JSON (for scripts and CI)
  --timeout <ms>       bound for connecting, and for the checks (default 5000)
  --color, --no-color  force colours on or off (default: on for a terminal, off with NO_COLOR)
  -h, --help           show this help

Environment:
${variables.join('\n')}

Exit codes:
  0  Redis is fit for Rebal Realtime (warnings allowed)
  1  a requirement is not met (see the failed checks)
  2  bad usage or configuration (the message names the option or variable)
  3  Redis unreachable (or it refused the credentials)
`;
}
