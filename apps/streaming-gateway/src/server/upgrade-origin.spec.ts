import { isUpgradeOriginAllowed } from './upgrade-origin';

const LISTED = ['https://app.example.com'];

describe('isUpgradeOriginAllowed', () => {
  it('allows a request without Origin, a listed Origin and the request\'s own host', () => {
    expect(isUpgradeOriginAllowed({ host: 'gw.example.com' }, LISTED)).toBe(true);
    expect(isUpgradeOriginAllowed({ origin: 'https://app.example.com', host: 'gw.example.com' }, LISTED)).toBe(true);
    expect(isUpgradeOriginAllowed({ origin: 'https://gw.example.com', host: 'gw.example.com' }, [])).toBe(true);
    expect(isUpgradeOriginAllowed({ origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' }, [])).toBe(true);
    expect(isUpgradeOriginAllowed({ origin: 'https://evil.example', host: 'gw.example.com' }, ['*'])).toBe(true);
  });

  it('refuses any other Origin: another host or port, null, or something that is not a web origin', () => {
    expect(isUpgradeOriginAllowed({ origin: 'https://evil.example', host: 'gw.example.com' }, LISTED)).toBe(false);
    expect(isUpgradeOriginAllowed({ origin: 'http://127.0.0.1:9090', host: '127.0.0.1:8080' }, LISTED)).toBe(false);
    expect(isUpgradeOriginAllowed({ origin: 'null', host: 'gw.example.com' }, LISTED)).toBe(false);
    expect(isUpgradeOriginAllowed({ origin: 'chrome-extension://abc', host: 'abc' }, LISTED)).toBe(false);
    expect(isUpgradeOriginAllowed({ origin: 'https://gw.example.com' }, LISTED)).toBe(false);
  });
});
