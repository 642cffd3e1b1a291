import { readDashboardConfig } from './dashboard-config';

const page = (search: string, protocol = 'http:') => ({ search, protocol, hostname: '127.0.0.1', host: '127.0.0.1:8080' });

describe('readDashboardConfig', () => {
  it('takes the token from the URL and derives the alert API and WebSocket URLs from the page', () => {
    expect(readDashboardConfig(page('?token=abc.def.ghi'))).toEqual({
      token: 'abc.def.ghi',
      alertApi: 'http://127.0.0.1:8081/api/v1',
      wsUrl: 'ws://127.0.0.1:8080/ws',
    });
  });

  it('uses secure schemes on an https page', () => {
    expect(readDashboardConfig(page('', 'https:'))).toMatchObject({ token: undefined, alertApi: 'https://127.0.0.1:8081/api/v1', wsUrl: 'wss://127.0.0.1:8080/ws' });
  });

  it('lets alertApi and ws be overridden, dropping a trailing slash', () => {
    const config = readDashboardConfig(page('?token=t&alertApi=https%3A%2F%2Falerts.example%2Fapi%2Fv1%2F&ws=wss%3A%2F%2Fgw.example%2Fws'));
    expect(config).toEqual({ token: 't', alertApi: 'https://alerts.example/api/v1', wsUrl: 'wss://gw.example/ws' });
  });
});
