import { composeViolations, redisServerFlags } from './compose-violations';

const GOOD = `
x-service: &service
  read_only: true
  healthcheck:
    test: ["CMD", "true"]
services:
  redis:
    image: redis:7.2.10
    command: [redis-server, --appendonly, "yes", --appendfsync, everysec, --maxmemory-policy, noeviction]
    volumes: [redis-data:/data]
    healthcheck:
      test: ["CMD-SHELL", "redis-cli ping | grep -q PONG"]
  api:
    <<: *service
    depends_on:
      redis:
        condition: service_healthy
  web:
    <<: *service
    depends_on:
      redis:
        condition: service_healthy
      api:
        condition: service_healthy
volumes:
  redis-data:
`;

describe('redisServerFlags', () => {
  it('reads flags from the list and the string form of a command', () => {
    expect(redisServerFlags(['redis-server', '--appendonly', 'yes']).get('appendonly')).toBe('yes');
    expect(redisServerFlags('redis-server --maxmemory-policy noeviction').get('maxmemory-policy')).toBe('noeviction');
  });
});

describe('composeViolations', () => {
  it('finds nothing wrong with a stack that follows every rule, merge keys included', () => {
    expect(composeViolations(GOOD)).toEqual([]);
  });

  it('reports text that is not YAML', () => {
    expect(composeViolations('services: [unclosed')).toEqual([expect.stringMatching(/not valid YAML/)]);
  });

  it('requires Redis with AOF and noeviction on a /data volume, pinned', () => {
    const bad = GOOD.replace('"yes"', '"no"').replace('noeviction', 'allkeys-lru').replace('redis-data:/data', 'redis-data:/elsewhere').replace('redis:7.2.10', 'redis:7.2');
    expect(composeViolations(bad)).toEqual([
      expect.stringMatching(/exact release/),
      expect.stringMatching(/--appendonly yes/),
      expect.stringMatching(/noeviction/),
      expect.stringMatching(/no volume on \/data/),
    ]);
    expect(composeViolations(GOOD.replace('everysec', '"no"'))).toEqual([expect.stringMatching(/--appendfsync no/)]);
  });

  it('requires every service to wait for healthy dependencies', () => {
    const started = GOOD.replace(/api:\n {8}condition: service_healthy/, 'api:\n        condition: service_started');
    expect(composeViolations(started)).toEqual([expect.stringMatching(/web: depends on api with condition service_started/)]);
    const short = GOOD.replace(/depends_on:\n {6}redis:\n {8}condition: service_healthy\n {2}web:/, 'depends_on: [redis]\n  web:');
    expect(composeViolations(short)).toEqual([expect.stringMatching(/api: depends_on must be the long form/)]);
  });

  it('requires a healthcheck and a read-only root filesystem on each service', () => {
    const bare = GOOD.replace('read_only: true\n  healthcheck:\n    test: ["CMD", "true"]', 'read_only: false');
    expect(composeViolations(bare)).toEqual([
      expect.stringMatching(/api: no healthcheck/),
      expect.stringMatching(/api: root filesystem is not read_only/),
      expect.stringMatching(/web: no healthcheck/),
      expect.stringMatching(/web: root filesystem is not read_only/),
    ]);
  });
});
