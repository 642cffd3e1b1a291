import { ENV_TABLE_END, ENV_TABLE_START, envTableProblems, formatEnvHelp, parseEnvTable } from './env-table';
import { formatServiceUsage, helpRequested } from './service-usage';

const readme = [
  '# Title',
  ENV_TABLE_START,
  '| variable | services | default | meaning |',
  '|---|---|---|---|',
  '| `REDIS_URL` | all | `redis://127.0.0.1:6379/0` | the Redis |',
  '| `PORT` | alert-service | `8081` | HTTP port |',
  '| `PORT` | streaming-gateway | `8080` | HTTP port |',
  '| `LOG_LEVEL` | alert-service, streaming-gateway | `info` | a \\| b |',
  '| `ALERT_RETENTION` | alert-service | `7d` | kept this long |',
  ENV_TABLE_END,
  '| `OUTSIDE` | all | x | not in the table |',
].join('\n');

const alertVariables = [
  { name: 'PORT', default: '8081' },
  { name: 'LOG_LEVEL', default: 'info' },
  { name: 'ALERT_RETENTION', default: '7d' },
];

describe('parseEnvTable', () => {
  it('reads the rows between the markers with services and plain defaults', () => {
    const rows = parseEnvTable(readme);
    expect(rows.map((row) => [row.name, row.services, row.defaultText])).toEqual([
      ['REDIS_URL', ['all'], 'redis://127.0.0.1:6379/0'],
      ['PORT', ['alert-service'], '8081'],
      ['PORT', ['streaming-gateway'], '8080'],
      ['LOG_LEVEL', ['alert-service', 'streaming-gateway'], 'info'],
      ['ALERT_RETENTION', ['alert-service'], '7d'],
    ]);
    expect(rows[1]?.line).toBe(6);
  });

  it('fails loudly without markers or with a row of the wrong shape', () => {
    expect(() => parseEnvTable('| `A` | all | x | y |')).toThrow(/markers/);
    expect(() => parseEnvTable([ENV_TABLE_START, '| `A` | all | x |', ENV_TABLE_END].join('\n'))).toThrow(/line 2: expected 4 cells/);
  });
});

describe('envTableProblems', () => {
  const rows = parseEnvTable(readme);

  it('finds nothing when the table and the parser agree', () => {
    expect(envTableProblems(rows, { service: 'alert-service', variables: alertVariables, ignore: new Set(['REDIS_URL']) })).toEqual([]);
  });

  it('names a missing variable, a wrong default and a row the service does not read', () => {
    const problems = envTableProblems(rows, {
      service: 'alert-service',
      variables: [{ name: 'PORT', default: '9000' }, { name: 'LOG_LEVEL', default: 'info' }, { name: 'ALERT_TICK', default: '1s' }],
    });
    expect(problems).toEqual([
      'PORT: line 6 says default "8081" for alert-service, the parser says "9000"',
      'ALERT_TICK: no row for alert-service (expected default "1s")',
      'REDIS_URL: line 5 lists it for alert-service, which does not read it',
      'ALERT_RETENTION: line 9 lists it for alert-service, which does not read it',
    ]);
  });

  it('reports a variable with two rows for the same service', () => {
    const doubled = [...rows, { name: 'PORT', services: ['all'], defaultText: '8081', line: 42 }];
    expect(envTableProblems(doubled, { service: 'alert-service', variables: alertVariables, ignore: new Set(['REDIS_URL']) })).toEqual([
      'PORT: 2 rows for alert-service (lines 6, 42)',
    ]);
  });
});

describe('--help', () => {
  it('is asked for with --help or -h after the script name', () => {
    expect(helpRequested(['node', 'main.js', '--help'])).toBe(true);
    expect(helpRequested(['node', 'main.js', '-h'])).toBe(true);
    expect(helpRequested(['node', 'main.js'])).toBe(false);
    expect(helpRequested(['-h', 'main.js'])).toBe(false);
  });

  it('lists every variable with its default and marks secrets', () => {
    const text = formatServiceUsage({
      name: 'alert-service',
      summary: 'Turns events into alerts.',
      variables: [
        { name: 'PORT', default: '8081', description: 'HTTP port', secret: false },
        { name: 'AUTH_JWT_SECRET', default: 'none', description: 'HS256 `secret`', secret: true },
      ],
      redisVariables: [{ name: 'REDIS_URL', default: 'redis://127.0.0.1:6379/0', description: 'the Redis' }],
    });
    expect(text).toContain('Usage: alert-service [--help]');
    expect(text).toMatch(/ {2}PORT {13}HTTP port\n {19}\(default: 8081\)/);
    expect(text).toContain('HS256 secret');
    expect(text).toContain('(default: none; secret, never logged)');
    expect(text).toMatch(/Redis connection:\n {2}REDIS_URL {2}the Redis/);
    expect(formatEnvHelp([])).toBe('');
  });
});
