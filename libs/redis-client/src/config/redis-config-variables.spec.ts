import { parseRedisConfig } from './parse-redis-config';
import { describeRedisConfigVariables, REDIS_CONFIG_VARIABLES } from './redis-config-variables';

describe('REDIS_CONFIG_VARIABLES', () => {
  it('lists every variable parseRedisConfig reads, with a default and a description', () => {
    expect(REDIS_CONFIG_VARIABLES.map((variable) => variable.name)).toEqual([
      'REDIS_URL', 'CACHE_REDIS_URL', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_SENTINEL_PASSWORD',
      'REDIS_CLUSTER_NODES', 'REDIS_TLS_CA_FILE', 'REDIS_TLS_SERVERNAME', 'REDIS_STREAM_PREFIX', 'REDIS_COMMAND_TIMEOUT',
    ]);
    for (const variable of REDIS_CONFIG_VARIABLES) {
      expect(variable.default).not.toBe('');
      expect(variable.description.length).toBeGreaterThan(20);
    }
  });

  it('reads no variable it does not list', () => {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_target, name) => {
        read.add(String(name));
        return undefined;
      },
    });
    parseRedisConfig(env);
    expect([...read].sort()).toEqual(REDIS_CONFIG_VARIABLES.map((variable) => variable.name).sort());
  });

  it('renders as a Markdown table with one row per variable', () => {
    const table = describeRedisConfigVariables().split('\n');
    expect(table[0]).toBe('| Variable | Default | Description |');
    expect(table).toHaveLength(REDIS_CONFIG_VARIABLES.length + 2);
    expect(table[2]).toMatch(/^\| `REDIS_URL` \| redis:\/\/127\.0\.0\.1:6379\/0 \| /);
  });
});
