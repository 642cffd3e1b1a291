import { readConsoleConfig } from './console-config';

const page = (search: string, protocol = 'http:') => ({ search, protocol, hostname: '127.0.0.1', host: '127.0.0.1:8080' });

describe('readConsoleConfig', () => {
  it('takes the token from the URL and derives the alert API and WebSocket URLs from the page', () => {
    expect(readConsoleConfig(page('?token=abc.def.ghi'))).toEqual({
      token: 'abc.def.ghi',
      alertApi: 'http://127.0.0.1:8081/api/v1',
      healthApi: undefined,
      wsUrl: 'ws://127.0.0.1:8080/ws',
    });
  });

  it('uses secure schemes on an https page', () => {
    expect(readConsoleConfig(page('', 'https:'))).toMatchObject({ token: undefined, alertApi: 'https://127.0.0.1:8081/api/v1', wsUrl: 'wss://127.0.0.1:8080/ws' });
  });

  it('lets alertApi, healthApi and ws be overridden, dropping a trailing slash', () => {
    const config = readConsoleConfig(
      page('?token=t&alertApi=https%3A%2F%2Falerts.example%2Fapi%2Fv1%2F&healthApi=https%3A%2F%2Fhealth.example%2Fapi%2Fv1%2F&ws=wss%3A%2F%2Fgw.example%2Fws'),
    );
    expect(config).toEqual({ token: 't', alertApi: 'https://alerts.example/api/v1', healthApi: 'https://health.example/api/v1', wsUrl: 'wss://gw.example/ws' });
  });
});

describe('readConsoleConfig with what the gateway serves', () => {
  it('issue 11 item 30: calls the alert API at the URL the gateway serves (ALERT_API_URL), a path taken on the page\'s own origin', () => {
    const behindIngress = { search: '?token=t', protocol: 'https:', hostname: 'realtime.example.com', host: 'realtime.example.com' };
    expect(readConsoleConfig(behindIngress, { alertApi: '/api/v1' }).alertApi).toBe('https://realtime.example.com/api/v1');
    expect(readConsoleConfig(behindIngress, { alertApi: 'https://alerts.example.com/api/v1/' }).alertApi).toBe('https://alerts.example.com/api/v1');
  });

  it('issue 11 item 30: lets ?alertApi= win over the served URL, and falls back to port 8081 when the gateway serves none', () => {
    expect(readConsoleConfig(page('?alertApi=http%3A%2F%2F127.0.0.1%3A9999%2Fapi%2Fv1'), { alertApi: '/api/v1' }).alertApi).toBe('http://127.0.0.1:9999/api/v1');
    expect(readConsoleConfig(page(''), {}).alertApi).toBe('http://127.0.0.1:8081/api/v1');
  });

  it('reads the health monitor URL the gateway serves (HEALTH_API_URL), absolute or on the page\'s origin, and has none by default', () => {
    expect(readConsoleConfig(page(''), { healthApi: 'http://127.0.0.1:8082/api/v1/' }).healthApi).toBe('http://127.0.0.1:8082/api/v1');
    expect(readConsoleConfig(page(''), { healthApi: '/health/api/v1' }).healthApi).toBe('http://127.0.0.1:8080/health/api/v1');
    expect(readConsoleConfig(page('?healthApi=http%3A%2F%2Fh%3A1%2Fapi%2Fv1'), { healthApi: '/x' }).healthApi).toBe('http://h:1/api/v1');
    expect(readConsoleConfig(page(''), { healthApi: '  ' }).healthApi).toBeUndefined();
  });
});
