// Builds the CLI (a CommonJS bundle and the executable that starts it), the library bundle (ESM, code-split) and the
// generated JSON Schemas.
import { createHash } from 'node:crypto';
import { build, type Plugin } from 'esbuild';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { z } from 'zod';
import { WireSnapshot } from './src/facts/snapshot-wire.ts';
import { COMMANDS } from './src/cli/run.ts';

const here = import.meta.dirname;
const dist = nodePath.join(here, 'dist');
nodeFs.rmSync(dist, { recursive: true, force: true });
nodeFs.mkdirSync(dist, { recursive: true });

/**
 * commander requires node:child_process at load time only to spawn stand-alone subcommand executables, which nodefit
 * does not use; loading it (and net, dgram and streams with it) cost every `nodefit` run a few milliseconds. Inside
 * commander it is replaced by a stand-in that loads the real module on first use.
 */
const lazyChildProcessForCommander: Plugin = {
  name: 'lazy-child-process-for-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'child_process', namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: "module.exports = { spawn: (...a) => require('node:child_process').spawn(...a) };",
      loader: 'js',
    }));
  },
};

/**
 * picocolors decides at load time whether the terminal takes colour, reading process.stdout.isTTY: that builds Node's
 * stdout stream (and loads its stream modules) in every run, although nodefit always passes its own decision to
 * createColors and writes to the file descriptor instead (src/cli/fd-output.ts). The load-time guess is made without
 * stdout; the build fails if picocolors stops reading it the way this expects.
 */
const picocolorsWithoutStdout: Plugin = {
  name: 'picocolors-without-stdout',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]picocolors[\\/]picocolors\.js$/ }, (args) => {
      const source = nodeFs.readFileSync(args.path, 'utf8');
      const probe = '((p.stdout || {}).isTTY && env.TERM !== "dumb")';
      if (!source.includes(probe)) throw new Error(`${args.path}: its stdout probe changed; update build.ts picocolorsWithoutStdout`);
      return { contents: source.replace(probe, 'false'), loader: 'js' };
    });
  },
};

/**
 * Dependencies only some commands need (snapshot validation, --kb YAML, image and package decompression). The CLI
 * bundle requires each from its own file under dist/vendor/ the first time it is used, so a plain `check` or `scan`
 * never reads or compiles them, and dist/ stays self-contained (deploy/bundle-cli.sh ships it without node_modules).
 */
const VENDORED = ['zod', 'yaml', 'xz-decompress', 'fzstd'] as const;

const vendorFiles: Plugin = {
  name: 'vendor-files',
  setup(b) {
    const names = new Set<string>(VENDORED);
    b.onResolve({ filter: /^[a-z@]/ }, (args) => (names.has(args.path) ? { path: `./vendor/${args.path}.cjs`, external: true } : undefined));
  },
};

/**
 * The compiled workload table is data that every `nodefit check` loads: V8 builds it faster from one JSON.parse of a
 * string than by running a 60 KB object literal.
 */
const jsonAsParse: Plugin = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /[\\/]kb[\\/]generated[\\/][^\\/]+\.json$/ }, (args) => {
      const compact = JSON.stringify(JSON.parse(nodeFs.readFileSync(args.path, 'utf8')));
      return { contents: `export default JSON.parse(${JSON.stringify(compact)});`, loader: 'js' };
    });
  },
};

/**
 * Names one build in the CLI bundle and the executable alike (src/cli/run-memo.ts keys its memos on it): the bundle
 * is built with this stand-in, which is then replaced by the bundle's own hash. As long as a sha256 in hex, so the
 * replacement moves no column of the source map.
 */
const BUILD_ID_PLACEHOLDER = 'nodefit-build-id'.padEnd(64, '-');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  // less text for V8 to scan on every start; the source maps point into src/
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
} as const;

// The CLI: CommonJS because Node loads it synchronously and without initialising its ES module loader, which is most
// of what a short run costs beyond Node itself; code that only some commands use is wrapped to run on first use.
await build({
  ...common,
  entryPoints: [nodePath.join(here, 'src/cli/main.ts')],
  outfile: nodePath.join(dist, 'cli-main.cjs'),
  format: 'cjs',
  // the fleet server carries a native addon: it is loaded only by `nodefit serve`, never bundled into the CLI
  external: ['@nodefit/server'],
  plugins: [lazyChildProcessForCommander, picocolorsWithoutStdout, vendorFiles, jsonAsParse],
  define: { NODEFIT_BUILD_ID: JSON.stringify(BUILD_ID_PLACEHOLDER) },
  // short local names: a fifth less text to read and fewer identifier strings in V8's code cache, which a short run
  // pays for in page faults; the CLI reports errors by message, never by stack, and the source map leads back to src/
  minifyIdentifiers: true,
});

/**
 * esbuild turns each `import * as nodeFs from 'node:fs'` into a copy of the module's ~100 exports as getters, once per
 * importing file, at start-up (about 2 ms over the CLI's ~50 files). Node's own module objects serve as namespaces
 * as they are, which holds while no file default-imports them (checked here).
 */
const PLAIN_BUILTINS = ['node:fs', 'node:path', 'node:path/posix', 'node:zlib', 'node:os', 'node:vm'];
const mainFile = nodePath.join(dist, 'cli-main.cjs');
const names = PLAIN_BUILTINS.map((b) => b.replace(/[/]/g, '\\/')).join('|');
const defaultImport = new RegExp(`^import\\s+[A-Za-z_$][\\w$]*\\s*(,|from)\\s*'(${names})'`, 'm');
for (const f of nodeFs.readdirSync(nodePath.join(here, 'src'), { recursive: true, encoding: 'utf8' })) {
  if (!f.endsWith('.ts') || f.includes('testing')) continue;
  if (defaultImport.test(nodeFs.readFileSync(nodePath.join(here, 'src', f), 'utf8'))) throw new Error(`src/${f} default-imports a node built-in: import it as a namespace (build.ts PLAIN_BUILTINS)`);
}
// esbuild's __toESM helper keeps that name only where identifiers are not minified: it is found as the one function
// every such require is wrapped in, and the build stops if that is not a single name
const plainBuiltins = (js: string, file: string): string => {
  const wrapped = new RegExp(`([A-Za-z_$][\\w$]*)\\(require\\("(${names})"\\)(,1)?\\)`, 'g');
  const helpers = new Set([...js.matchAll(wrapped)].map((m) => m[1]));
  if (helpers.size > 1) throw new Error(`${file}: node built-ins are wrapped by ${[...helpers].join(', ')}; expected only esbuild's __toESM`);
  return js.replace(wrapped, 'require("$2")');
};
const builtText = plainBuiltins(nodeFs.readFileSync(mainFile, 'utf8'), mainFile);
// the bundle's hash (taken with the placeholder in it) names the build in both the bundle and the executable
const buildId = createHash('sha256').update(builtText).digest('hex');
if (!builtText.includes(BUILD_ID_PLACEHOLDER)) throw new Error(`${mainFile}: NODEFIT_BUILD_ID is not used; src/cli/run-memo.ts should read it`);
const mainText = builtText.replaceAll(BUILD_ID_PLACEHOLDER, buildId);

/**
 * The file holds the bundle inside the function wrapper Node puts around a CommonJS module, as src/cli/launch.ts
 * compiles it: wrapping it at run time made V8 copy the whole text into one flat string on every start. The wrapper
 * takes a line of its own, so the source map moves down one line (a leading ';' in its mappings) and stays exact.
 */
const MAIN_HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const MAIN_TAIL = '\n})';
const mainFileText = MAIN_HEAD + mainText + MAIN_TAIL;
// src/cli/launch.ts reads the bundle as latin1; esbuild escapes non-ASCII characters by default (charset: 'ascii')
const nonAscii = /[^\t\n\r\x20-\x7e]/.exec(mainFileText);
if (nonAscii !== null) throw new Error(`dist/cli-main.cjs has a character other than printable ASCII, tab or newline at offset ${nonAscii.index}: src/cli/launch.ts reads it as latin1`);
nodeFs.writeFileSync(mainFile, mainFileText);
const mainMap = JSON.parse(nodeFs.readFileSync(`${mainFile}.map`, 'utf8')) as { mappings: string };
nodeFs.writeFileSync(`${mainFile}.map`, JSON.stringify({ ...mainMap, mappings: `;${mainMap.mappings}` }));

// Code compiled from V8's cache by the executable cannot import() on Node 20 (src/cli/launch.ts): only `serve`, which
// skips the cache, may.
const dynamicImports = [...mainText.matchAll(/\bimport\(\s*("[^"]*"|'[^']*'|[^)]*)\)/g)].map((m) => m[1]);
const stray = dynamicImports.filter((spec) => spec !== '"@nodefit/server"' && spec !== 'name');
if (stray.length > 0) throw new Error(`dist/cli-main.cjs keeps import() of ${stray.join(', ')}: import it statically (a lazily loaded module may) instead`);

// The executable: compiles cli-main.cjs through V8's code cache (src/cli/launch.ts says why).
await build({
  ...common,
  entryPoints: [nodePath.join(here, 'src/cli/launch.ts')],
  outfile: nodePath.join(dist, 'cli.cjs'),
  format: 'cjs',
  define: {
    NODEFIT_MAIN_SHA256: JSON.stringify(createHash('sha256').update(mainFileText).digest('hex')),
    NODEFIT_BUILD_ID: JSON.stringify(buildId),
    NODEFIT_COMMANDS: JSON.stringify(COMMANDS.map((c) => c.name)),
    NODEFIT_BASELINE_COMMANDS: JSON.stringify(COMMANDS.filter((c) => c.compiler === 'baseline').map((c) => c.name)),
  },
});

await Promise.all(
  VENDORED.map((name) =>
    build({
      ...common,
      stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: here, sourcefile: `vendor-${name}.cjs` },
      outfile: nodePath.join(dist, 'vendor', `${name}.cjs`),
      format: 'cjs',
    }),
  ),
);

// The library (what packages/server imports): ESM, code-split so heavy parts load only when used.
await build({
  ...common,
  entryPoints: { index: nodePath.join(here, 'src/index.ts') },
  outdir: dist,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@nodefit/server'],
  // CommonJS dependencies bundled into ESM still call require() for node built-ins.
  banner: { js: "import { createRequire as __nodefitCreateRequire } from 'node:module'; const require = __nodefitCreateRequire(import.meta.url);" },
});

const cli = nodePath.join(dist, 'cli.cjs');
// the executable imports the same built-ins as namespaces (src/cli/launch.ts), so the same getter copies go
const text = plainBuiltins(nodeFs.readFileSync(cli, 'utf8'), cli);
nodeFs.writeFileSync(cli, text.startsWith('#!') ? text : `#!/usr/bin/env node\n${text}`);
nodeFs.chmodSync(cli, 0o755);

// the schema of the JSON a snapshot file holds (the wire form), generated from the same zod schemas as the fact types
const schema = z.toJSONSchema(WireSnapshot, { target: 'draft-2020-12' });
nodeFs.writeFileSync(
  nodePath.join(dist, 'snapshot.schema.json'),
  JSON.stringify({ $id: 'https://nodefit.dev/schemas/snapshot-v1.json', title: 'nodefit snapshot', ...schema }, null, 2) + '\n',
);
