import { ConfigError } from '@rebal/redis-client';
import { bool, duration, envSchema, oneOf, optionalStr, serviceEnv, serviceSettings, str } from './env-schema';

const schema = envSchema({
  ...serviceEnv(8081),
  NAME: str({ description: 'a required name' }),
  TOKEN: optionalStr({ description: 'a secret', secret: true, pattern: /^[a-z]+$/, patternText: 'lowercase letters' }),
  ENABLED: bool({ default: true, description: 'on or off' }),
  MODE: oneOf(['a', 'b'] as const, { default: 'a', description: 'mode' }),
  CLAIM: duration({ default: 30_000, min: 100, description: 'claim timeout' }),
});

function errorOf(env: Record<string, string>): ConfigError {
  try {
    schema.parse(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('envSchema', () => {
  it('applies defaults and parses every kind of value', () => {
    const config = schema.parse({ NAME: 'x', PORT: '9000', ENABLED: 'no', MODE: 'b', CLAIM: '5m', TOKEN: 'abc' });
    expect(config).toMatchObject({ PORT: 9000, HOST: '0.0.0.0', LOG_LEVEL: 'info', NAME: 'x', ENABLED: false, MODE: 'b', CLAIM: 300_000, TOKEN: 'abc' });
    expect(config.INSTANCE_ID).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it('treats an empty value as unset', () => {
    expect(schema.parse({ NAME: 'x', PORT: '' }).PORT).toBe(8081);
  });

  it.each([
    [{ PORT: '80a' }, 'PORT', /integer/],
    [{ PORT: '70000' }, 'PORT', /at most 65535/],
    [{ ENABLED: 'maybe' }, 'ENABLED', /true or false/],
    [{ MODE: 'c' }, 'MODE', /one of a, b/],
    [{ CLAIM: 'soon' }, 'CLAIM', /duration/],
    [{ CLAIM: '10ms' }, 'CLAIM', /at least 100ms/],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of/],
    [{ INSTANCE_ID: 'has space' }, 'INSTANCE_ID', /letters, digits/],
  ])('names the variable of a bad value %j', (env, variable, message) => {
    const error = errorOf({ NAME: 'x', ...env });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: `));
    expect(error.message).toMatch(message);
  });

  it('reports a missing required variable', () => {
    expect(errorOf({}).variable).toBe('NAME');
  });

  it('never prints a secret value', () => {
    const error = errorOf({ NAME: 'x', TOKEN: 'Sup3rSecret!' });
    expect(error.variable).toBe('TOKEN');
    expect(error.message).not.toContain('Sup3rSecret');
  });

  it('documents every variable with its default', () => {
    const docs = schema.describe();
    expect(docs.map((d) => d.name)).toEqual(['PORT', 'HOST', 'LOG_LEVEL', 'INSTANCE_ID', 'SERVICE_VERSION', 'NAME', 'TOKEN', 'ENABLED', 'MODE', 'CLAIM']);
    expect(docs.find((d) => d.name === 'CLAIM')?.default).toBe('30s');
    expect(docs.find((d) => d.name === 'NAME')?.default).toBe('required');
    expect(docs.find((d) => d.name === 'TOKEN')).toMatchObject({ default: 'none', secret: true });
  });
});

describe('serviceSettings', () => {
  it('names the common variables as every service config does', () => {
    const vars = schema.parse({ NAME: 'x', PORT: '9000', HOST: '127.0.0.1', INSTANCE_ID: 'pod-1', SERVICE_VERSION: '2.0.0', LOG_LEVEL: 'warn' });
    expect(serviceSettings(vars)).toEqual({ port: 9000, host: '127.0.0.1', instanceId: 'pod-1', version: '2.0.0', logLevel: 'warn' });
  });
});
