// Builds the server bundle; dependencies (native better-sqlite3, pg, nodefit itself) stay external.
import { build } from 'esbuild';
import * as nodePath from 'node:path';

const here = import.meta.dirname;
await build({
  entryPoints: [nodePath.join(here, 'src/index.ts')],
  outfile: nodePath.join(here, 'dist/index.js'),
  bundle: true,
  packages: 'external',
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  sourcemap: 'linked',
  logLevel: 'warning',
});
