import { parseStackSettings, StackSettingError } from './stack-settings';

const ROOT = '/repo';

function settingError(env: Record<string, string>): StackSettingError {
  try {
    parseStackSettings(env, ROOT);
  } catch (error) {
    if (error instanceof StackSettingError) return error;
    throw error;
  }
  throw new Error('expected a StackSettingError');
}

describe('parseStackSettings', () => {
  it('uses <repo>/.data, ports 8080 to 8083 and Redis on 6379 when nothing is set', () => {
    expect(parseStackSettings({}, ROOT)).toEqual({
      dataDir: '/repo/.data',
      portBase: 8080,
      ports: { 'streaming-gateway': 8080, 'alert-service': 8081, 'health-monitor': 8082, 'market-simulator': 8083 },
      redisPort: 6379,
      redisUrl: undefined,
    });
  });

  it('takes an absolute REBAL_DATA_DIR as it is and a relative one from the repository', () => {
    expect(parseStackSettings({ REBAL_DATA_DIR: '/tmp/stack-a/' }, ROOT).dataDir).toBe('/tmp/stack-a');
    expect(parseStackSettings({ REBAL_DATA_DIR: 'tmp/stack-b' }, ROOT).dataDir).toBe('/repo/tmp/stack-b');
  });

  it('plans the service ports from REBAL_PORT_BASE', () => {
    const settings = parseStackSettings({ REBAL_PORT_BASE: '18080', REDIS_PORT: '16379' }, ROOT);
    expect(settings.portBase).toBe(18_080);
    expect(settings.ports['alert-service']).toBe(18_081);
    expect(settings.redisPort).toBe(16_379);
  });

  it.each(['abc', '0', '65533', '8080.5', '-1', '8080x', '99999'])('stops at REBAL_PORT_BASE=%s, naming the variable and the value', (value) => {
    const error = settingError({ REBAL_PORT_BASE: value });
    expect(error.code).toBe('ERR_STACK_SETTING');
    expect(error.variable).toBe('REBAL_PORT_BASE');
    expect(error.message).toContain('REBAL_PORT_BASE');
    expect(error.message).toContain(`"${value}"`);
  });

  it('stops at an empty REBAL_DATA_DIR, naming the variable', () => {
    const error = settingError({ REBAL_DATA_DIR: '  ' });
    expect(error.variable).toBe('REBAL_DATA_DIR');
    expect(error.message).toMatch(/^REBAL_DATA_DIR /);
  });

  it('stops at a REDIS_PORT that is not a port', () => {
    expect(settingError({ REDIS_PORT: '65536' }).variable).toBe('REDIS_PORT');
  });

  it('stops when the local Redis would take a service port, and allows it when REDIS_URL names another Redis', () => {
    const error = settingError({ REBAL_PORT_BASE: '9000', REDIS_PORT: '9002' });
    expect(error.variable).toBe('REDIS_PORT');
    expect(error.message).toContain('health-monitor');
    expect(parseStackSettings({ REBAL_PORT_BASE: '9000', REDIS_PORT: '9002', REDIS_URL: 'redis://10.0.0.5:6379/0' }, ROOT).redisUrl).toBe('redis://10.0.0.5:6379/0');
  });
});
