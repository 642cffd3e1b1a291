#!/usr/bin/env node
// Builds the npm package @rebal/gateway-client from src/index.ts (`nx run gateway-client:build`):
//   index.js, index.cjs        ESM and CommonJS for Node and bundlers: one readable file each
//   types/**/*.d.ts, *.d.cts   declarations for `import` and for `require` (under "type": "module"
//                              a .d.ts is an ES module, so each needs its own tree, relative
//                              specifiers ending in .js and .cjs as Node resolves them)
//   browser/gateway-client.min.js (+ .map)  one minified ES module with no imports, for a
//                              <script type="module"> or a CDN; its size budget is a test's job
//   package.json               package.template.json, as is
//   README.md                  this folder's README up to its repository-only part
//   CHANGELOG.md               as is; its newest entry must be the template's version
//   LICENSE                    as is (MIT: the client is for the platform's outside developers)
// The package imports nothing at all: Node users pass `ws` as the WebSocket option, browsers
// use their own. The build goes to a folder of its own and replaces the output folder in one
// rename, so `npm pack` or a test reading the previous build never sees a half-written one.
//   node libs/gateway-client/build-package.mjs [--out <dir>]   (default dist/libs/gateway-client)
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const libDir = import.meta.dirname;
const root = resolve(libDir, '../..');
const srcDir = join(libDir, 'src');
/** Where the README stops being about the package (the rest is for people working on this repository). */
const REPO_ONLY_MARKER = '<!-- repository only: not in the npm package -->';

const outArg = process.argv.indexOf('--out');
if (outArg !== -1 && !process.argv[outArg + 1]) fail('usage: node libs/gateway-client/build-package.mjs [--out <dir>]');
const finalDir = resolve(outArg === -1 ? join(root, 'dist/libs/gateway-client') : process.argv[outArg + 1]);
const outDir = join(dirname(finalDir), `.gateway-client.build-${process.pid}`);
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));

function fail(message) {
  console.error(`build-package: ${message}`);
  process.exit(1);
}

const manifest = JSON.parse(readFileSync(join(libDir, 'package.template.json'), 'utf8'));
const changelog = readFileSync(join(libDir, 'CHANGELOG.md'), 'utf8');
const newest = /^## (\S+)/m.exec(changelog)?.[1];
if (newest !== manifest.version) fail(`CHANGELOG.md's newest entry is ${newest ?? 'missing'} but package.template.json says ${manifest.version}: add the entry`);

const common = { entryPoints: [join(srcDir, 'index.ts')], bundle: true, tsconfig: join(root, 'tsconfig.base.json'), metafile: true, logLevel: 'warning', legalComments: 'none' };
const builds = await Promise.all([
  build({ ...common, outfile: join(outDir, 'index.js'), format: 'esm', platform: 'neutral', target: 'es2022' }),
  build({ ...common, outfile: join(outDir, 'index.cjs'), format: 'cjs', platform: 'node', target: 'node20' }),
  build({ ...common, outfile: join(outDir, 'browser/gateway-client.min.js'), format: 'esm', platform: 'browser', target: 'es2020', minify: true, sourcemap: true }),
]);
for (const { metafile } of builds) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    // Loading the package must not load anything else (ws above all: Node users bring it, browsers have their own).
    if (output.imports.length > 0) fail(`${relative(outDir, resolve(file))} imports ${output.imports.map((i) => i.path).join(', ')}; the package must import nothing`);
  }
}
// The map's sources point into this repository; name them by their place in the package's
// source instead (their text is in sourcesContent).
const mapFile = join(outDir, 'browser/gateway-client.min.js.map');
const map = JSON.parse(readFileSync(mapFile, 'utf8'));
map.sources = map.sources.map((source) => `../src/${relative(srcDir, resolve(dirname(mapFile), source)).replaceAll('\\', '/')}`);
writeFileSync(mapFile, JSON.stringify(map));

writeDeclarations(join(outDir, 'types'));

writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
const readme = readFileSync(join(libDir, 'README.md'), 'utf8');
const cut = readme.indexOf(REPO_ONLY_MARKER);
writeFileSync(join(outDir, 'README.md'), `${(cut === -1 ? readme : readme.slice(0, cut)).trimEnd()}\n`);
writeFileSync(join(outDir, 'CHANGELOG.md'), changelog);
writeFileSync(join(outDir, 'LICENSE'), readFileSync(join(libDir, 'LICENSE'), 'utf8'));

// Swap the finished build in: the old folder is moved aside first, then removed.
const oldDir = `${finalDir}.old-${process.pid}`;
if (existsSync(finalDir)) renameSync(finalDir, oldDir);
renameSync(outDir, finalDir);
rmSync(oldDir, { recursive: true, force: true });
console.log(`built ${relative(process.cwd(), finalDir) || '.'} (@rebal/gateway-client ${manifest.version})`);

/**
 * Type-checks the library (tsconfig.lib.json) and writes its declarations twice under `typesDir`:
 * `.d.ts` with relative specifiers ending in `.js` (ESM) and `.d.cts` with `.cjs` (CommonJS).
 * tsc writes `./x` and `./dir` as the sources do, which only CommonJS resolution accepts.
 */
function writeDeclarations(typesDir) {
  const options = { noEmit: false, declaration: true, emitDeclarationOnly: true, declarationMap: false, sourceMap: false, rootDir: srcDir, outDir: typesDir };
  const parsed = ts.getParsedCommandLineOfConfigFile(join(libDir, 'tsconfig.lib.json'), options, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
  });
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const emitted = new Map();
  const result = program.emit(undefined, (file, text) => emitted.set(resolve(file), text));
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    fail(`the library does not type-check:\n${ts.formatDiagnostics(diagnostics, host)}`);
  }
  for (const [file, text] of emitted) {
    const at = (extension) => (_match, head, quote, specifier) => `${head}${quote}${resolveSpecifier(file, specifier)}${extension}${quote}`;
    const specifiers = /(\bfrom\s*|\bimport\s*\(\s*)(['"])(\.\.?\/[^'"]*|\.\.?)\2/g;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text.replace(specifiers, at('.js')));
    writeFileSync(file.replace(/\.d\.ts$/, '.d.cts'), text.replace(specifiers, at('.cjs')));
  }

  /** `./x` → `./x` (a file) or `./x/index` (a folder), by what tsc emitted; anything else fails the build. */
  function resolveSpecifier(from, specifier) {
    const target = resolve(dirname(from), specifier);
    if (emitted.has(`${target}.d.ts`)) return specifier;
    if (emitted.has(join(target, 'index.d.ts'))) return `${specifier.replace(/\/$/, '')}/index`;
    return fail(`${relative(typesDir, from)} imports ${specifier}, which is not one of the declarations`);
  }
}
