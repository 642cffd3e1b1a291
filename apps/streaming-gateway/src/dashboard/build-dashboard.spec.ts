import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDashboard } from './build-dashboard';

describe('buildDashboard', () => {
  let outDir: string;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'dashboard-build-'));
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('writes a browser bundle with the SDK inside, plus index.html and styles.css', async () => {
    const result = await buildDashboard(join(outDir, 'site'));

    for (const file of result.files) expect(existsSync(join(result.outDir, file))).toBe(true);
    expect(result.inputs.some((input) => input.includes('libs/gateway-client/src/gateway-client.ts'))).toBe(true);
    const bundle = readFileSync(join(result.outDir, 'main.js'), 'utf8');
    // Protocol frame types of the SDK and the page's element ids made it in.
    expect(bundle).toContain('token_expiring');
    expect(bundle).toContain('connection-state');
    expect(result.bundleBytes).toBeLessThan(200_000);
    const html = readFileSync(join(result.outDir, 'index.html'), 'utf8');
    expect(html).toContain('<script src="main.js" defer></script>');
    expect(html).toContain('href="styles.css"');
  });

  it('bundles nothing that only runs on Node', async () => {
    const result = await buildDashboard(join(outDir, 'plain'), { minify: false });
    const bundle = readFileSync(join(result.outDir, 'main.js'), 'utf8');

    // One self-contained script: no require() (e.g. require("events")), no import of any module.
    expect(bundle).not.toContain('require("events")');
    expect(bundle).not.toMatch(/\brequire\s*\(/);
    expect(bundle).not.toMatch(/\bimport\s*\(|^\s*import\s/m);
    expect(bundle).not.toMatch(/["']node:/);
    expect(bundle).not.toMatch(/\bprocess\.(env|nextTick|versions)\b/);
    expect(result.inputs.filter((input) => input.includes('node_modules'))).toEqual([]);
  });
});
