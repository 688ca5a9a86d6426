// Builds the CLI and library bundles (esbuild, code-split so heavy parts load only when used) and the generated JSON Schemas.
import { build, type Plugin } from 'esbuild';
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { z } from 'zod';
import { WireSnapshot } from './src/facts/snapshot-wire.ts';

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

await build({
  entryPoints: { cli: nodePath.join(here, 'src/cli/main.ts'), index: nodePath.join(here, 'src/index.ts') },
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // the fleet server carries a native addon: it is loaded only by `nodefit serve`, never bundled into the CLI
  external: ['@nodefit/server'],
  // CommonJS dependencies bundled into ESM still call require() for node built-ins.
  banner: { js: "import { createRequire as __nodefitCreateRequire } from 'node:module'; const require = __nodefitCreateRequire(import.meta.url);" },
  plugins: [lazyChildProcessForCommander],
  // less text for V8 to scan on every start; names stay readable and the source maps point into src/
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});

const cli = nodePath.join(dist, 'cli.js');
const text = nodeFs.readFileSync(cli, 'utf8');
if (!text.startsWith('#!')) nodeFs.writeFileSync(cli, `#!/usr/bin/env node\n${text}`);
nodeFs.chmodSync(cli, 0o755);

// the schema of the JSON a snapshot file holds (the wire form), generated from the same zod schemas as the fact types
const schema = z.toJSONSchema(WireSnapshot, { target: 'draft-2020-12' });
nodeFs.writeFileSync(
  nodePath.join(dist, 'snapshot.schema.json'),
  JSON.stringify({ $id: 'https://nodefit.dev/schemas/snapshot-v1.json', title: 'nodefit snapshot', ...schema }, null, 2) + '\n',
);
