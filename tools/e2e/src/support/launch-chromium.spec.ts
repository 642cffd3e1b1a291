import { chromiumPath, DEFAULT_CHROMIUM_BIN, launchChromium } from './launch-chromium';

describe('launchChromium', () => {
  it('fails with the install command and CHROMIUM_BIN when the binary is missing', async () => {
    const missing = '/nonexistent/e2e/chromium';
    await expect(launchChromium({ executablePath: missing })).rejects.toThrow(/No Chromium at \/nonexistent\/e2e\/chromium.*sudo apt-get install -y chromium.*CHROMIUM_BIN/);
  });

  it('takes the binary from CHROMIUM_BIN, else from Debian\'s path', () => {
    expect(chromiumPath({ CHROMIUM_BIN: '/opt/chrome/chrome' })).toBe('/opt/chrome/chrome');
    expect(chromiumPath({})).toBe(DEFAULT_CHROMIUM_BIN);
    expect(DEFAULT_CHROMIUM_BIN).toBe('/usr/bin/chromium');
  });
});
