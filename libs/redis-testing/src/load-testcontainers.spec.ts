import { existsSync } from 'node:fs';
import { loadTestcontainers } from './load-testcontainers';

const containerRuntimeLikely =
  Boolean(process.env['DOCKER_HOST']) || existsSync('/var/run/docker.sock') || existsSync('/run/podman/podman.sock');

describe('loadTestcontainers', () => {
  it('loads testcontainers and its Redis module inside jest', () => {
    const { testcontainers, redis } = loadTestcontainers();
    expect(typeof testcontainers.getContainerRuntimeClient).toBe('function');
    expect(typeof redis.RedisContainer).toBe('function');
  });

  (containerRuntimeLikely ? it.skip : it)('finds no container runtime on a machine without one', async () => {
    await expect(loadTestcontainers().testcontainers.getContainerRuntimeClient()).rejects.toThrow(/container runtime/);
  });
});
