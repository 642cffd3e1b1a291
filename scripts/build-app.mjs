#!/usr/bin/env node
// Bundles one app for production: apps/<app>/src/main.ts -> dist/apps/<app>/main.js (CommonJS,
// Node 20), workspace libraries inlined through the tsconfig path aliases, npm packages left
// external (the image installs them with `npm ci --omit=dev`). Lua scripts are read at run
// time from the bundle's folder, so every `.lua` file the app and its libraries use is copied
// next to main.js; two scripts with one name would shadow each other, so that fails the build.
// The build goes to a folder of its own and replaces dist/apps/<app> in one rename, so a
// process starting from the previous build (npm start, a test, a benchmark) never sees a
// half-written folder. The page the gateway serves, the console, is a project of its own
// (apps/console: `npx nx run console:build` writes dist/apps/console).
//   node scripts/build-app.mjs <app>
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const app = process.argv[2];
if (!app || !existsSync(join(root, 'apps', app, 'src', 'main.ts'))) {
  console.error(`usage: node scripts/build-app.mjs <app>   (apps/<app>/src/main.ts must exist; got ${app ?? 'nothing'})`);
  process.exit(2);
}
const finalDir = join(root, 'dist', 'apps', app);
// Same depth as the final folder, so the source map's relative paths stay right after the rename.
const outDir = join(root, 'dist', 'apps', `.${app}.build-${process.pid}`);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));

const result = await build({
  entryPoints: [join(root, 'apps', app, 'src', 'main.ts')],
  outfile: join(outDir, 'main.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  tsconfig: join(root, 'tsconfig.base.json'),
  metafile: true,
  logLevel: 'warning',
});

function luaFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return luaFiles(path);
    return name.endsWith('.lua') ? [path] : [];
  });
}
// Folders whose sources went into the bundle: copy the Lua scripts that live beside them.
const sourceDirs = new Set(Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules')).map((p) => resolve(root, p, '..')));
const copied = new Map();
for (const dir of sourceDirs) {
  for (const file of luaFiles(dir).filter((f) => resolve(f, '..') === dir)) {
    const name = basename(file);
    const previous = copied.get(name);
    if (previous && previous !== file) {
      console.error(`two Lua scripts named ${name}: ${relative(root, previous)} and ${relative(root, file)}; rename one`);
      process.exit(1);
    }
    copied.set(name, file);
    cpSync(file, join(outDir, name));
  }
}
// Swap the finished build in: the old folder is moved aside first, then removed.
const oldDir = `${finalDir}.old-${process.pid}`;
if (existsSync(finalDir)) renameSync(finalDir, oldDir);
renameSync(outDir, finalDir);
rmSync(oldDir, { recursive: true, force: true });
console.log(`built dist/apps/${app}/main.js (${copied.size} Lua scripts)`);
