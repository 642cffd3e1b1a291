import { detectRedisTestServer } from './detect-redis-test-server';
import { defineRedisContainer } from './start-standalone-container';

const REDIS = detectRedisTestServer({});
const VALKEY = detectRedisTestServer({ REDIS_TEST_SERVER: 'valkey' });

/** The parts of a testcontainers definition that become the Docker create request. */
interface ContainerDefinition {
  imageName: { string: string };
  createOpts: { Cmd?: string[]; ExposedPorts?: Record<string, unknown> };
  hostConfig: { PortBindings?: Record<string, Array<{ HostPort: string }>> };
}

describe('defineRedisContainer', () => {
  it('runs redis-server with AOF and the extra args, publishing 6379 on the chosen host port', () => {
    const definition = defineRedisContainer({ args: ['--maxmemory-policy', 'noeviction'] }, 45_678, REDIS) as unknown as ContainerDefinition;
    expect(definition.imageName.string).toBe('redis:7.0');
    expect(definition.createOpts.Cmd).toEqual([
      'redis-server', '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction',
    ]);
    expect(Object.keys(definition.createOpts.ExposedPorts ?? {})).toEqual(['6379/tcp']);
    expect(definition.hostConfig.PortBindings?.['6379/tcp']).toEqual([{ HostPort: '45678' }]);
  });

  it('uses the image option and leaves AOF off when asked', () => {
    const definition = defineRedisContainer({ image: 'redis:7.2', appendonly: false }, 45_679, REDIS) as unknown as ContainerDefinition;
    expect(definition.imageName.string).toBe('redis:7.2');
    expect(definition.createOpts.Cmd).toEqual(['redis-server']);
  });

  it('runs valkey-server from valkey/valkey:8.0 for the valkey engine', () => {
    const definition = defineRedisContainer({ appendonly: false }, 45_680, VALKEY) as unknown as ContainerDefinition;
    expect(definition.imageName.string).toBe('valkey/valkey:8.0');
    expect(definition.createOpts.Cmd).toEqual(['valkey-server']);
  });
});
