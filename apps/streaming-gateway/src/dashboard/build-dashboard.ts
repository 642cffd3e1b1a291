import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** The static files copied beside the bundle. */
export const DASHBOARD_STATIC_FILES = ['index.html', 'styles.css'] as const;

/** Options of {@link buildDashboard}. */
export interface BuildDashboardOptions {
  /** Folder holding main.ts, index.html and styles.css (default: this module's folder, i.e. the sources when run with ts-node/tsx/jest). */
  sourceDir?: string;
  /** tsconfig whose `paths` resolve `@rebal/gateway-client` (default: the workspace's tsconfig.base.json, four levels above `sourceDir`). */
  tsconfig?: string;
  /** Minify the bundle (default true). */
  minify?: boolean;
}

/** What {@link buildDashboard} wrote. */
export interface DashboardBuild {
  /** The output folder (absolute). */
  readonly outDir: string;
  /** The files written, relative to `outDir`. */
  readonly files: readonly string[];
  /** Size of main.js in bytes. */
  readonly bundleBytes: number;
  /** Source files that went into the bundle, relative to the working directory. */
  readonly inputs: readonly string[];
}

/**
 * Builds the dashboard into `outDir` (created if missing): `main.js` (main.ts and the gateway
 * client SDK bundled by esbuild for browsers, one IIFE script, with a source map) plus
 * index.html and styles.css. The gateway serves the folder at `/` (`DASHBOARD_DIR`).
 * Rejects when the bundle does not build, e.g. when browser code imports a Node module.
 */
export async function buildDashboard(outDir: string, options: BuildDashboardOptions = {}): Promise<DashboardBuild> {
  const sourceDir = resolve(options.sourceDir ?? __dirname);
  const target = resolve(outDir);
  mkdirSync(target, { recursive: true });
  const result = await build({
    entryPoints: [join(sourceDir, 'main.ts')],
    outfile: join(target, 'main.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: ['es2020'],
    minify: options.minify ?? true,
    sourcemap: true,
    tsconfig: options.tsconfig ?? resolve(sourceDir, '../../../../tsconfig.base.json'),
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
  });
  for (const file of DASHBOARD_STATIC_FILES) copyFileSync(join(sourceDir, file), join(target, file));
  return {
    outDir: target,
    files: ['main.js', 'main.js.map', ...DASHBOARD_STATIC_FILES],
    bundleBytes: statSync(join(target, 'main.js')).size,
    inputs: Object.keys(result.metafile.inputs),
  };
}
