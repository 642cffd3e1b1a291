import { dashboardUrl } from './dashboard-url';

describe('dashboardUrl', () => {
  const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZXYifQ.c2lnbmF0dXJl-_';

  it('carries only the token when the alert service is on 8081, where the dashboard looks by default', () => {
    expect(dashboardUrl({ gatewayPort: 8080, alertPort: 8081, token })).toBe(`http://127.0.0.1:8080/?token=${token}`);
  });

  it('names the alert API when the alert service is on another port', () => {
    expect(dashboardUrl({ gatewayPort: 18_080, alertPort: 18_081, token })).toBe(
      `http://127.0.0.1:18080/?token=${token}&alertApi=http://127.0.0.1:18081/api/v1`,
    );
  });

  it('gives a URL whose parameters the dashboard reads back unchanged', () => {
    const url = new URL(dashboardUrl({ gatewayPort: 9000, alertPort: 9001, token, host: 'localhost' }));
    expect(url.origin).toBe('http://localhost:9000');
    expect(url.searchParams.get('token')).toBe(token);
    expect(url.searchParams.get('alertApi')).toBe('http://localhost:9001/api/v1');
  });
});
