import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error';
import { parseRedisConfig } from './parse-redis-config';
import { REDIS_URL_FORM } from './parse-redis-url';
import { REDIS_CONFIG_VARIABLES } from './redis-config-variables';

/** The ConfigError that `parseRedisConfig(env)` throws (fails the test when it does not throw). */
function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseRedisConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(Object.keys(env))}`);
}

/** Bad values of a Redis URL variable: [case, value, what the message says]. */
const BAD_URLS: Array<[string, string, RegExp]> = [
  ['a non-Redis scheme', 'http://h:6379', /unsupported scheme "http:"/],
  // Issue 11 item 27: a value without :// names no scheme (it could be a password's first part).
  ['a host:port without scheme', 'localhost:6379', /has no scheme/],
  ['a port above 65535', 'redis://h:65536', /not a valid URL/],
  ['a port that is not a number', 'redis://h:abc', /not a valid URL/],
  ['port 0', 'redis://h:0', /port must be 1\.\.65535/],
  ['an empty host', 'redis:///0', /host is empty/],
  ['no host at all', 'redis://', /host is empty/],
  ['db 16', 'redis://h/16', /db index must be an integer 0\.\.15.*got "16"/],
  ['a negative db', 'redis://h/-1', /db index must be an integer 0\.\.15/],
  ['a db that is not a number', 'redis://h/cache', /db index must be an integer 0\.\.15.*Cluster only has db 0/],
  ['a db with extra path', 'redis://h/1/2', /db index/],
  ['a fractional db', 'redis://h/1.5', /db index/],
  ['a query string', 'redis://h/0?db=3', /query parameters/],
  ['not a URL at all', 'not a url', /not a valid URL/],
];

/** Bad values of a host:port list variable (Sentinels, Cluster seed nodes): [case, value, what the message says]. */
const BAD_ENDPOINT_LISTS: Array<[string, string, RegExp]> = [
  ['an empty entry', 's1:26379,,s2:26379', /entry 2 is empty/],
  ['a trailing comma', 's1:26379,', /entry 2 is empty/],
  ['a port that is not a number', 's1:abc', /entry 1 "s1:abc" has an invalid port/],
  ['a port above 65535', 's1:70000', /invalid port/],
  ['port 0', 's1:0', /invalid port/],
  ['an empty host', ':26379', /empty or invalid host/],
  ['an IPv6 address without brackets', '::1:26379', /without brackets/],
  ['an unclosed bracket', '[::1:26379', /not a valid \[IPv6\]:port/],
  ['a URL instead of host:port', 'redis://s1:26379', /bare host:port/],
  ['a host with spaces', 'my host:26379', /invalid host/],
];

describe('parseRedisConfig', () => {
  describe('REDIS_URL', () => {
    it('defaults to redis://127.0.0.1:6379/0 when unset or empty, so local development needs no setup', () => {
      for (const env of [{}, { REDIS_URL: '' }, { REDIS_URL: '   ' }]) {
        const { main } = parseRedisConfig(env);
        expect(main).toEqual({ mode: 'standalone', host: '127.0.0.1', port: 6379, nodes: [], db: 0, displayUrl: 'redis://127.0.0.1:6379/0' });
      }
    });

    it('reads host, port and db index', () => {
      const { main } = parseRedisConfig({ REDIS_URL: 'redis://redis.internal:6380/3' });
      expect(main).toMatchObject({ mode: 'standalone', host: 'redis.internal', port: 6380, db: 3, displayUrl: 'redis://redis.internal:6380/3' });
      expect(main.tls).toBeUndefined();
    });

    it('defaults the port to 6379 and the db to 0', () => {
      expect(parseRedisConfig({ REDIS_URL: 'redis://cache' }).main).toMatchObject({ port: 6379, db: 0 });
      expect(parseRedisConfig({ REDIS_URL: 'redis://cache/' }).main).toMatchObject({ port: 6379, db: 0 });
    });

    it('accepts db 15 and db 0 explicitly', () => {
      expect(parseRedisConfig({ REDIS_URL: 'redis://h/15' }).main.db).toBe(15);
      expect(parseRedisConfig({ REDIS_URL: 'redis://h:1/0' }).main.db).toBe(0);
    });

    it('reads a password alone (redis://:password@host) and hides it in displayUrl', () => {
      const { main } = parseRedisConfig({ REDIS_URL: 'redis://:hunter2@h:7000/1' });
      expect(main.password).toBe('hunter2');
      expect(main.username).toBeUndefined();
      expect(main.displayUrl).toBe('redis://:***@h:7000/1');
    });

    it('reads an ACL user and password (redis://user:password@host:port/db)', () => {
      const { main } = parseRedisConfig({ REDIS_URL: 'redis://app:pw@h:6379/2' });
      expect(main).toMatchObject({ username: 'app', password: 'pw', db: 2, displayUrl: 'redis://app:***@h:6379/2' });
    });

    it('percent-decodes the user name and password', () => {
      const { main } = parseRedisConfig({ REDIS_URL: 'redis://svc%2Bone:p%40ss%3Aw%2Fd%23@h' });
      expect(main.username).toBe('svc+one');
      expect(main.password).toBe('p@ss:w/d#');
      expect(main.displayUrl).toBe('redis://svc%2Bone:***@h:6379/0');
    });

    it('turns on TLS for rediss:// and takes the CA file and server name as given', () => {
      const plain = parseRedisConfig({ REDIS_URL: 'rediss://:pw@h:6380' }).main;
      expect(plain.tls).toEqual({});
      expect(plain.displayUrl).toBe('rediss://:***@h:6380/0');
      const withCa = parseRedisConfig({ REDIS_URL: 'rediss://h', REDIS_TLS_CA_FILE: '/etc/redis/ca.pem', REDIS_TLS_SERVERNAME: 'redis.example' }).main;
      expect(withCa.tls).toEqual({ caFile: '/etc/redis/ca.pem', servername: 'redis.example' });
    });

    it('accepts an upper-case scheme', () => {
      expect(parseRedisConfig({ REDIS_URL: 'REDISS://h' }).main.tls).toEqual({});
    });

    it('reads IPv6 addresses in brackets and keeps the brackets only in displayUrl', () => {
      const { main } = parseRedisConfig({ REDIS_URL: 'redis://[::1]:6390/4' });
      expect(main).toMatchObject({ host: '::1', port: 6390, db: 4, displayUrl: 'redis://[::1]:6390/4' });
    });

    it.each(BAD_URLS)('refuses %s', (_case, value, message) => {
      const error = configError({ REDIS_URL: value });
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.code).toBe('ERR_CONFIG');
      expect(error.variable).toBe('REDIS_URL');
      expect(error.message).toMatch(/^REDIS_URL: /);
      expect(error.message).toMatch(message);
    });

    it('says what a Redis URL looks like when it refuses one', () => {
      expect(configError({ REDIS_URL: 'ftp://h' }).message).toContain('expected redis://[[user]:password@]host[:port][/db] or rediss://');
    });
  });

  describe('CACHE_REDIS_URL', () => {
    it('copies the main connection when unset', () => {
      const config = parseRedisConfig({ REDIS_URL: 'redis://:pw@h:6380/2' });
      expect(config.cache).toEqual(config.main);
      expect(config.cache).not.toBe(config.main);
    });

    it('is a separate single server when set, with its own credentials and db', () => {
      const config = parseRedisConfig({ REDIS_URL: 'redis://h/1', CACHE_REDIS_URL: 'rediss://u:p@cache:6390/5', REDIS_TLS_CA_FILE: '/ca.pem' });
      expect(config.main.tls).toBeUndefined();
      expect(config.cache).toEqual({
        mode: 'standalone', host: 'cache', port: 6390, nodes: [], username: 'u', password: 'p', db: 5,
        tls: { caFile: '/ca.pem' }, displayUrl: 'rediss://u:***@cache:6390/5',
      });
    });

    it('stays a single server when the main Redis is a Cluster', () => {
      const config = parseRedisConfig({ REDIS_CLUSTER_NODES: 'n1:7000', CACHE_REDIS_URL: 'redis://cache/3' });
      expect(config.main.mode).toBe('cluster');
      expect(config.cache).toMatchObject({ mode: 'standalone', host: 'cache', db: 3 });
    });

    it('is validated like REDIS_URL and blamed by its own name', () => {
      const error = configError({ CACHE_REDIS_URL: 'redis://h/99' });
      expect(error.variable).toBe('CACHE_REDIS_URL');
      expect(error.message).toMatch(/^CACHE_REDIS_URL: db index/);
    });

    it.each(BAD_URLS)('refuses %s, naming CACHE_REDIS_URL', (_case, value, message) => {
      const error = configError({ REDIS_URL: 'redis://h/1', CACHE_REDIS_URL: value });
      expect(error.variable).toBe('CACHE_REDIS_URL');
      expect(error.message).toMatch(/^CACHE_REDIS_URL: /);
      expect(error.message).toMatch(message);
    });
  });

  describe('Sentinel', () => {
    it('finds the master through the Sentinels, with credentials, db and TLS from REDIS_URL', () => {
      const { main, cache } = parseRedisConfig({
        REDIS_URL: 'rediss://app:pw@ignored:1/2',
        REDIS_SENTINELS: 's1:26379, s2:26380,[::1]:26381,s4',
        REDIS_SENTINEL_NAME: 'mymaster',
        REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      });
      expect(main).toMatchObject({
        mode: 'sentinel',
        nodes: [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }, { host: '::1', port: 26381 }, { host: 's4', port: 26379 }],
        sentinelName: 'mymaster',
        sentinelPassword: 'sentinel-secret',
        username: 'app',
        password: 'pw',
        db: 2,
        tls: {},
      });
      expect(main.displayUrl).toBe('rediss://app:***@s1:26379,s2:26380,[::1]:26381,s4:26379/2 (sentinel master mymaster)');
      expect(cache).toEqual(main);
    });

    it('requires REDIS_SENTINEL_NAME with REDIS_SENTINELS', () => {
      const error = configError({ REDIS_SENTINELS: 's1:26379' });
      expect(error.variable).toBe('REDIS_SENTINEL_NAME');
      expect(error.message).toMatch(/required with REDIS_SENTINELS.*master group/);
    });

    it('refuses a master group name with spaces', () => {
      expect(configError({ REDIS_SENTINELS: 's1', REDIS_SENTINEL_NAME: 'my master' }).variable).toBe('REDIS_SENTINEL_NAME');
    });

    it('refuses REDIS_SENTINEL_NAME or REDIS_SENTINEL_PASSWORD without REDIS_SENTINELS', () => {
      expect(configError({ REDIS_SENTINEL_NAME: 'mymaster' }).variable).toBe('REDIS_SENTINEL_NAME');
      const error = configError({ REDIS_SENTINEL_PASSWORD: 'top-secret-sentinel' });
      expect(error.variable).toBe('REDIS_SENTINEL_PASSWORD');
      expect(error.message).not.toContain('top-secret-sentinel');
    });

    it.each(BAD_ENDPOINT_LISTS)('refuses a Sentinel list with %s', (_case, value, message) => {
      const error = configError({ REDIS_SENTINELS: value, REDIS_SENTINEL_NAME: 'mymaster' });
      expect(error.variable).toBe('REDIS_SENTINELS');
      expect(error.message).toMatch(message);
      expect(error.message).toContain('expected a comma-separated list of host:port');
    });
  });

  describe('Cluster', () => {
    it('uses the seed nodes, with credentials and TLS from REDIS_URL', () => {
      const { main } = parseRedisConfig({ REDIS_URL: 'rediss://app:pw@ignored', REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001,10.0.0.3' });
      expect(main).toMatchObject({
        mode: 'cluster',
        nodes: [{ host: '10.0.0.1', port: 7000 }, { host: '10.0.0.2', port: 7001 }, { host: '10.0.0.3', port: 6379 }],
        username: 'app',
        password: 'pw',
        db: 0,
        tls: {},
        displayUrl: 'rediss://app:***@10.0.0.1:7000,10.0.0.2:7001,10.0.0.3:6379/0 (cluster)',
      });
    });

    it('refuses a db index other than 0, since a Cluster only has db 0', () => {
      const error = configError({ REDIS_URL: 'redis://:secret-pw@h/3', REDIS_CLUSTER_NODES: 'n1:7000' });
      expect(error.variable).toBe('REDIS_URL');
      expect(error.message).toMatch(/must be 0 with REDIS_CLUSTER_NODES.*Cluster only has db 0/);
    });

    it('refuses a malformed node list', () => {
      const error = configError({ REDIS_CLUSTER_NODES: 'n1:7000,n2:port' });
      expect(error.variable).toBe('REDIS_CLUSTER_NODES');
      expect(error.message).toMatch(/entry 2 "n2:port" has an invalid port/);
    });

    it.each(BAD_ENDPOINT_LISTS)('refuses a node list with %s', (_case, value, message) => {
      const error = configError({ REDIS_CLUSTER_NODES: value });
      expect(error.variable).toBe('REDIS_CLUSTER_NODES');
      expect(error.message).toMatch(message);
      expect(error.message).toContain('expected a comma-separated list of host:port');
    });

    it('refuses Sentinel and Cluster together', () => {
      const error = configError({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'n1:7000' });
      expect(error.variable).toBe('REDIS_CLUSTER_NODES');
      expect(error.message).toMatch(/not both/);
    });
  });

  describe('TLS variables', () => {
    it('refuses REDIS_TLS_CA_FILE when no URL uses rediss://', () => {
      const error = configError({ REDIS_URL: 'redis://h', REDIS_TLS_CA_FILE: '/ca.pem' });
      expect(error.variable).toBe('REDIS_TLS_CA_FILE');
      expect(error.message).toMatch(/rediss:\/\//);
    });

    it('refuses REDIS_TLS_SERVERNAME when no URL uses rediss://', () => {
      expect(configError({ REDIS_TLS_SERVERNAME: 'redis.example' }).variable).toBe('REDIS_TLS_SERVERNAME');
    });
  });

  describe('REDIS_STREAM_PREFIX', () => {
    it('defaults to no prefix', () => {
      expect(parseRedisConfig({}).streamPrefix).toBe('');
    });

    it('accepts letters, digits and : _ . -', () => {
      expect(parseRedisConfig({ REDIS_STREAM_PREFIX: 'Staging-2.eu_west:' }).streamPrefix).toBe('Staging-2.eu_west:');
    });

    it.each([['a space', 'my prefix'], ['a hash tag', '{tenant}:'], ['a slash', 'a/b'], ['too many characters', 'x'.repeat(65)]])(
      'refuses a prefix with %s',
      (_case, value) => {
        const error = configError({ REDIS_STREAM_PREFIX: value });
        expect(error.variable).toBe('REDIS_STREAM_PREFIX');
        expect(error.message).toMatch(/expected at most 64 characters from A-Z a-z 0-9 : _ \. -/);
      },
    );
  });

  describe('REDIS_COMMAND_TIMEOUT', () => {
    it('issue 11 item 29: bounds the reply wait of both connections when set, and leaves the default to the connection when unset', () => {
      expect(parseRedisConfig({}).main.commandTimeoutMs).toBeUndefined();
      const shared = parseRedisConfig({ REDIS_COMMAND_TIMEOUT: '1500ms', REDIS_CLUSTER_NODES: 'n1:7000' });
      expect([shared.main.commandTimeoutMs, shared.cache.commandTimeoutMs]).toEqual([1_500, 1_500]);
      const separate = parseRedisConfig({ REDIS_COMMAND_TIMEOUT: '2s', CACHE_REDIS_URL: 'redis://cache' });
      expect([separate.main.commandTimeoutMs, separate.cache.commandTimeoutMs]).toEqual([2_000, 2_000]);
    });

    it.each(['soon', '0', '99ms', '11m', '-1s'])('issue 11 item 29: refuses %s', (value) => {
      const error = configError({ REDIS_COMMAND_TIMEOUT: value });
      expect(error.variable).toBe('REDIS_COMMAND_TIMEOUT');
      expect(error.message).toMatch(/expected a duration from 100ms to 10m/);
    });
  });

  describe('secrets', () => {
    const password = 'Pa55-w0rd-never-shown';
    const encoded = 'Pa55%2Dw0rd%40never%3Ashown';
    const decoded = 'Pa55-w0rd@never:shown';

    it.each([
      ['a bad scheme', { REDIS_URL: `http://user:${password}@h` }],
      ['a bad port', { REDIS_URL: `redis://user:${password}@h:99999` }],
      ['port 0', { REDIS_URL: `redis://:${password}@h:0` }],
      ['a non-numeric port', { REDIS_URL: `redis://:${password}@h:port/0` }],
      ['a bad db', { REDIS_URL: `redis://user:${password}@h/42` }],
      ['an empty host', { REDIS_URL: `redis://:${password}@/0` }],
      ['a query string', { REDIS_URL: `redis://h/0?password=${password}` }],
      ['a malformed percent-encoding', { REDIS_URL: `redis://:${password}%zz@h` }],
      ['an unencoded slash in the password', { REDIS_URL: `redis://:${password}/x@h` }],
      ['an unencoded hash in the password', { REDIS_URL: `redis://:${password}#x@h` }],
      ['a password written without its colon', { REDIS_URL: `redis://${password}@h` }],
      ['a password without a scheme', { REDIS_URL: `:${password}@h:6379` }],
      ['a password with a missing host', { REDIS_URL: `redis://:${password}` }],
      ['a Cluster with db 3', { REDIS_URL: `redis://:${password}@h/3`, REDIS_CLUSTER_NODES: 'n1:7000' }],
      ['a bad cache URL', { CACHE_REDIS_URL: `rediss://u:${password}@h:70000` }],
      ['credentials in the Sentinel list', { REDIS_SENTINELS: `:${password}@s1:26379`, REDIS_SENTINEL_NAME: 'm' }],
      ['credentials in the Cluster list', { REDIS_CLUSTER_NODES: `user:${password}@n1:7000` }],
      ['a Sentinel password without Sentinels', { REDIS_SENTINEL_PASSWORD: password }],
      ['a Sentinel list without name and a password', { REDIS_SENTINELS: 's1', REDIS_SENTINEL_PASSWORD: password }],
    ])('never puts the password in the message for %s', (_case, env) => {
      const error = configError(env);
      expect(error.message).not.toContain(password);
      expect(error.message).not.toContain('w0rd');
    });

    it('never puts a percent-encoded password in the message, in either form', () => {
      for (const url of [`redis://u:${encoded}@h/99`, `redis://u:${encoded}@h:0`, `ftp://u:${encoded}@h`]) {
        const error = configError({ REDIS_URL: url });
        expect(error.message).not.toContain(encoded);
        expect(error.message).not.toContain(decoded);
        expect(error.message).not.toContain('w0rd');
      }
    });

    it('shows *** in place of the password where it helps to show the URL', () => {
      expect(configError({ REDIS_URL: `redis://app:${password}@h:6379/42` }).message).toContain('redis://app:***@h:6379');
    });
  });

  describe('issue 11 item 27: nothing that could be part of a password is echoed', () => {
    // A password written without percent-encoding, with a raw @ followed by / ? or #: the URL
    // still parses, and the rest of the password lands in the host, path, query or fragment.
    const SECRET_PARTS = ['Xy', 'Zq7', 'TopSecretTail', 'redis.internal'];
    it.each([
      ['the issue\'s example (/)', 'redis://:Xy@Zq7/TopSecretTail@redis.internal:6379/0'],
      ['a # after the raw @', 'redis://:Xy@Zq7#TopSecretTail@redis.internal:6379/0'],
      ['a ? after the raw @', 'redis://:Xy@Zq7?TopSecretTail@redis.internal:6379/0'],
      ['a user and a / after the raw @', 'redis://app:Xy@Zq7/TopSecretTail@redis.internal:6379/0'],
      ['a / with a numeric first part', 'redis://:Xy@Zq7/12@redis.internal:6379/0'],
      ['a / before the raw @ and a port-like start', 'redis://app:1234/TopSecretTail@redis.internal:6379/0'],
      ['rediss and a #', 'rediss://:Xy@Zq7#TopSecretTail@redis.internal'],
    ])('issue 11 item 27: refuses %s without echoing host, path or any part of it', (_case, value) => {
      for (const variable of ['REDIS_URL', 'CACHE_REDIS_URL'] as const) {
        const error = configError({ [variable]: value });
        expect(error.variable).toBe(variable);
        expect(error.message).toMatch(/percent-encoded/);
        for (const part of SECRET_PARTS) expect(error.message.toLowerCase()).not.toContain(part.toLowerCase());
      }
    });

    it.each([
      ['a password and a colon, no scheme', 'TopSecretTail:Xy'],
      ['host:port, no scheme', 'Zq7:6379'],
      ['a scheme with one slash', 'TopSecretTail:/Zq7'],
    ])('issue 11 item 27: names no scheme taken from a value without :// (%s)', (_case, value) => {
      const error = configError({ REDIS_URL: value });
      expect(error.message).toMatch(/no scheme|not a valid URL/);
      for (const part of SECRET_PARTS) expect(error.message.toLowerCase()).not.toContain(part.toLowerCase());
    });
  });

  describe('issue 11 item 28: the URL form is the one the README and the help text give', () => {
    it('issue 11 item 28: refuses a user without a password with the documented form, and never echoes the name', () => {
      const error = configError({ REDIS_URL: 'redis://alice@127.0.0.1:6379/0' });
      expect(error.message).toContain(REDIS_URL_FORM);
      expect(error.message).toMatch(/nopass/);
      expect(error.message).not.toContain('alice');
    });

    it('issue 11 item 28: the library help text and the README give the form the parser accepts', () => {
      const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
      const row = readme.split('\n').find((line) => line.startsWith('| `REDIS_URL` |'));
      expect(row).toContain(REDIS_URL_FORM);
      expect(REDIS_CONFIG_VARIABLES.find((variable) => variable.name === 'REDIS_URL')?.description).toContain(REDIS_URL_FORM);
      expect(REDIS_URL_FORM).toBe('redis://[[user]:password@]host[:port][/db]');
      // Each optional part of the form, left out or given, parses.
      for (const url of ['redis://h', 'redis://h:6380', 'redis://h/2', 'redis://:pw@h', 'redis://app:pw@h:6380/2']) {
        expect(() => parseRedisConfig({ REDIS_URL: url })).not.toThrow();
      }
    });
  });
});
