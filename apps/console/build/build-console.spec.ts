import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildConsole, CONSOLE_FILES } from './build-console';

describe('buildConsole', () => {
  let outDir: string;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'console-build-'));
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('writes a minified browser bundle with the SDK and uPlot inside, the styles with uPlot\'s, and index.html', async () => {
    const result = await buildConsole(join(outDir, 'site'));

    for (const file of CONSOLE_FILES) expect(existsSync(join(result.outDir, file))).toBe(true);
    expect(result.inputs.some((input) => input.includes('libs/gateway-client/src/gateway-client.ts'))).toBe(true);
    expect(result.inputs.some((input) => input.includes('node_modules/uplot/'))).toBe(true);
    const bundle = readFileSync(join(result.outDir, 'main.js'), 'utf8');
    // Protocol frame types of the SDK and the page's element ids made it in.
    expect(bundle).toContain('token_expiring');
    expect(bundle).toContain('connection-banner');
    expect(bundle.split('\n').length).toBeLessThan(10); // minified
    expect(bundle).toMatch(/\/\/# sourceMappingURL=main\.js\.map\s*$/);
    expect(result.bundleBytes).toBeLessThan(200_000);
    const styles = readFileSync(join(result.outDir, 'styles.css'), 'utf8');
    expect(styles).toContain('.uplot');
    expect(styles).not.toContain('@import');
    const html = readFileSync(join(result.outDir, 'index.html'), 'utf8');
    expect(html).toContain('<script src="main.js" defer></script>');
    expect(html).toContain('href="styles.css"');
  });

  it('bundles nothing that only runs on Node', async () => {
    const result = await buildConsole(join(outDir, 'plain'), { minify: false });
    const bundle = readFileSync(join(result.outDir, 'main.js'), 'utf8');

    // One self-contained script: no require() (e.g. require("events")), no import of any module.
    expect(bundle).not.toMatch(/\brequire\s*\(/);
    expect(bundle).not.toMatch(/\bimport\s*\(|^\s*import\s/m);
    expect(bundle).not.toMatch(/["']node:/);
    expect(bundle).not.toMatch(/\bprocess\.(env|nextTick|versions)\b/);
    expect(result.inputs.filter((input) => input.includes('node_modules') && !input.includes('node_modules/uplot/'))).toEqual([]);
  });

  it('replaces an earlier build in one step, leaving no staging folder behind', async () => {
    const site = join(outDir, 'again');
    await buildConsole(site);
    const second = await buildConsole(site);
    expect(second.outDir).toBe(site);
    expect(existsSync(join(site, 'index.html'))).toBe(true);
    expect(readdirSync(outDir).filter((name) => name.startsWith('.again'))).toEqual([]);
  });
});
