import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root';

/**
 * Builds one app the way `npm start` and the images do (`node scripts/build-app.mjs <app>`),
 * into `dist/apps/<app>/main.js` (the gateway also gets `dist/apps/streaming-gateway/dashboard`).
 * Resolves with the path of main.js; rejects with the build's output when it fails or takes
 * longer than `timeoutMs` (default 120 s).
 */
export function buildApp(app: string, timeoutMs = 120_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'scripts/build-app.mjs'), app], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
      if (code === 0) resolve(join(REPO_ROOT, 'dist/apps', app, 'main.js'));
      else reject(new Error(`building ${app} failed (${signal ?? `exit ${code}`}${signal === 'SIGKILL' ? `, over ${timeoutMs} ms` : ''}):\n${output.slice(-3000)}`));
    });
  });
}

/**
 * Copies the build of `app` (`dist/apps/<app>`, main.js with its Lua scripts and, for the
 * gateway, its dashboard) into a new folder under `<repo>/tmp/` and returns that folder. A
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
