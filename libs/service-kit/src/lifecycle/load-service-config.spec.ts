import { ConfigError } from '@rebal/redis-client';
import { loadServiceConfig, type LoadServiceConfigOptions } from './load-service-config';

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function run(argv: string[], parse: LoadServiceConfigOptions<number>['parse']): { result?: number; code?: number; out: string; err: string } {
  let out = '';
  let err = '';
  try {
    const result = loadServiceConfig({
      name: 'demo-service',
      summary: 'Does demo things.',
      variables: [{ name: 'DEMO_RATE', default: '10', description: 'events per second', secret: false }],
      parse,
      argv: ['node', 'main.js', ...argv],
      env: { DEMO_RATE: '12' },
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (err += text) },
      exit: (code: number) => {
        throw new Exit(code);
      },
    });
    return { result, out, err };
  } catch (error) {
    if (error instanceof Exit) return { code: error.code, out, err };
    throw error;
  }
}

describe('loadServiceConfig', () => {
  it('returns what the parser read from the environment', () => {
    expect(run([], (env) => Number(env['DEMO_RATE']))).toEqual({ result: 12, out: '', err: '' });
  });

  it('prints every variable, the Redis ones included, on --help and exits 0 without parsing', () => {
    const parse = jest.fn(() => 1);
    const outcome = run(['--help'], parse);
    expect(outcome.code).toBe(0);
    expect(parse).not.toHaveBeenCalled();
    expect(outcome.out).toContain('Usage: demo-service [--help]');
    expect(outcome.out).toMatch(/DEMO_RATE\s+events per second/);
    expect(outcome.out).toMatch(/REDIS_URL\s+/);
  });

  it('names the bad variable on stderr and exits 2', () => {
    const outcome = run([], () => {
      throw new ConfigError('DEMO_RATE', 'must be an integer');
    });
    expect(outcome.code).toBe(2);
    expect(outcome.err).toBe(`demo-service: invalid configuration: ${new ConfigError('DEMO_RATE', 'must be an integer').message}\n`);
  });

  it('lets any other error through', () => {
    expect(() =>
      run([], () => {
        throw new TypeError('bug');
      }),
    ).toThrow('bug');
  });
});
