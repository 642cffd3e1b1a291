import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root';

/**
 * Builds one app the way `npm start` and the images do (`node scripts/build-app.mjs <app>`),
 * into `dist/apps/<app>/main.js`. Resolves with the path of main.js; rejects with the build's
 * output when it fails or takes longer than `timeoutMs` (default 120 s).
 */
export function buildApp(app: string, timeoutMs = 120_000): Promise<string> {
  return run(app, [join(REPO_ROOT, 'scripts/build-app.mjs'), app], join(REPO_ROOT, 'dist/apps', app, 'main.js'), timeoutMs);
}

/**
 * Builds the console the gateway serves at `/` the way `npm start` does (apps/console's
 * build-console.ts) into `dist/apps/console`. Resolves with that folder; rejects as {@link buildApp}.
 */
export function buildConsole(timeoutMs = 120_000): Promise<string> {
  const outDir = join(REPO_ROOT, 'dist/apps/console');
  return run('console', ['--require', 'tsx/cjs', join(REPO_ROOT, 'apps/console/build/build-console.ts'), outDir], outDir, timeoutMs);
}

function run(app: string, args: string[], result: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run the build of ${app}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(result);
      else reject(new Error(`building ${app} failed (${signal ?? `exit ${code}`}${signal === 'SIGKILL' ? `, over ${timeoutMs} ms` : ''}):\n${output.slice(-3000)}`));
    });
  });
}

/**
 * Copies the build of `app` (`dist/apps/<app>`: main.js with its Lua scripts, or the console's
 * page) into a new folder under `<repo>/tmp/` and returns that folder. A
 * test that runs its services from the copy is immune to anyone rebuilding, i.e. emptying,
 * `dist/apps/<app>` meanwhile; npm packages still resolve from the repository's
 * node_modules. Remove the folder when done.
 */
export function snapshotBuild(app: string): string {
  mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
  const dir = join(mkdtempSync(join(REPO_ROOT, 'tmp', `e2e-${app}-`)), app);
  cpSync(join(REPO_ROOT, 'dist/apps', app), dir, { recursive: true });
  return dir;
}
