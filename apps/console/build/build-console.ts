// Builds the console into dist/apps/console (or the folder given):
//   npx nx run console:build        (tsx --tsconfig tsconfig.base.json apps/console/build/build-console.ts [outDir])
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

/** The files of a build, which the gateway serves at / and the Kubernetes Ingress routes by name. */
export const CONSOLE_FILES = ['index.html', 'main.js', 'main.js.map', 'styles.css'] as const;

/** The workspace root (this file is apps/console/build/build-console.ts). */
const ROOT = resolve(__dirname, '../../..');

/** Options of {@link buildConsole}. */
export interface BuildConsoleOptions {
  /** Folder holding main.ts, index.html and styles.css (default apps/console/src). */
  readonly sourceDir?: string;
  /** Minify the bundle and the styles (default true). */
  readonly minify?: boolean;
}

/** What {@link buildConsole} wrote. */
export interface ConsoleBuild {
  /** The output folder (absolute). */
  readonly outDir: string;
  /** Size of main.js in bytes. */
  readonly bundleBytes: number;
  /** Source files that went into main.js, relative to the workspace root. */
  readonly inputs: readonly string[];
}

/**
 * Builds the console into `outDir`: `main.js` (main.ts with the gateway client SDK and uPlot,
 * bundled by esbuild for browsers as one IIFE script, with its source map), `styles.css`
 * (styles.css with uPlot's styles inlined) and `index.html`. It builds into a sibling folder
 * and swaps it in with one rename, so a gateway serving `outDir` (npm start, a test) never
 * sees a half-written build. Rejects when the bundle does not build, e.g. when browser code
 * imports a Node module.
 */
export async function buildConsole(outDir: string, options: BuildConsoleOptions = {}): Promise<ConsoleBuild> {
  const sourceDir = resolve(options.sourceDir ?? join(ROOT, 'apps/console/src'));
  const target = resolve(outDir);
  const staging = join(dirname(target), `.${basename(target)}.build-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const minify = options.minify ?? true;
    const common = { bundle: true, minify, logLevel: 'silent', legalComments: 'none', absWorkingDir: ROOT } as const;
    const script = await build({
      ...common,
      entryPoints: [join(sourceDir, 'main.ts')],
      outfile: join(staging, 'main.js'),
      platform: 'browser',
      format: 'iife',
      target: ['es2022'],
      sourcemap: true,
      tsconfig: join(ROOT, 'tsconfig.base.json'),
      metafile: true,
    });
    await build({ ...common, entryPoints: [join(sourceDir, 'styles.css')], outfile: join(staging, 'styles.css') });
    copyFileSync(join(sourceDir, 'index.html'), join(staging, 'index.html'));
    const old = `${target}.old-${process.pid}`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
    rmSync(old, { recursive: true, force: true });
    return { outDir: target, bundleBytes: statSync(join(target, 'main.js')).size, inputs: Object.keys(script.metafile.inputs) };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const outDir = process.argv[2] ?? join(ROOT, 'dist/apps/console');
  buildConsole(outDir).then(
    (result) => console.log(`built ${result.outDir} (main.js ${Math.round(result.bundleBytes / 1024)} KiB)`),
    (error: unknown) => {
      console.error(`building the console failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
