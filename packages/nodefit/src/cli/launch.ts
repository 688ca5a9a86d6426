#!/usr/bin/env node
// The `nodefit` executable: runs the CLI bundle through V8's code cache, because compiling it is most of what a short
// run costs beyond Node itself (Node >= 22 has module.enableCompileCache for this; Node 20 only has vm.Script).
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import * as nodeVm from 'node:vm';
import { createRequire } from 'node:module';

const MAIN = nodePath.join(__dirname, 'cli-main.cjs');
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Where compiled code is kept: $NODEFIT_COMPILE_CACHE (a directory, or "0" to keep nothing), else
 * $XDG_CACHE_HOME/nodefit or ~/.cache/nodefit. Only a real directory of our own that nobody else can write is used:
 * code read from it runs in this process. Read-only homes (a DaemonSet) simply run without a cache.
 */
function cacheDir(): string | null {
  const env = process.env.NODEFIT_COMPILE_CACHE;
  if (env === '0' || env === 'off') return null;
  const home = process.env.HOME;
  const base = env !== undefined && env !== '' ? env : process.env.XDG_CACHE_HOME ? nodePath.join(process.env.XDG_CACHE_HOME, 'nodefit') : home ? nodePath.join(home, '.cache', 'nodefit') : null;
  if (base === null || !nodePath.isAbsolute(base)) return null;
  try {
    nodeFs.mkdirSync(base, { recursive: true, mode: 0o700 });
    const st = nodeFs.lstatSync(base);
    const uid = process.getuid?.();
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return null;
    return base;
  } catch {
    return null;
  }
}

function readCache(file: string): Buffer | undefined {
  try {
    const st = nodeFs.lstatSync(file);
    return st.isFile() && st.size <= MAX_CACHE_BYTES ? nodeFs.readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps one cache file per directory: a rebuilt bundle or another Node version replaces the old one. */
function writeCache(dir: string, file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    nodeFs.writeFileSync(tmp, data, { mode: 0o600 });
    nodeFs.renameSync(tmp, file);
    for (const name of nodeFs.readdirSync(dir)) {
      if (name.startsWith('cli-main-') && name.endsWith('.v8') && nodePath.join(dir, name) !== file) nodeFs.rmSync(nodePath.join(dir, name), { force: true });
    }
  } catch {
    nodeFs.rmSync(tmp, { force: true });
  }
}

function launch(): void {
  // `serve` runs for days, so its start-up time does not matter, and it import()s the ES-module server: code from V8's
  // cache loses the import() callback on Node 20 ("A dynamic import callback was not specified"). build.ts refuses any
  // other import() in the bundle.
  if (process.argv[2] === 'serve') {
    createRequire(__filename)(MAIN);
    return;
  }
  const source = nodeFs.readFileSync(MAIN, 'utf8');
  const dir = cacheDir();
  const st = nodeFs.statSync(MAIN);
  const file = dir === null ? null : nodePath.join(dir, `cli-main-${process.version}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}.v8`);
  const cachedData = file === null ? undefined : readCache(file);
  // the same wrapper Node puts around a CommonJS module; the bundle's first line (#!) becomes a comment
  const script = new nodeVm.Script(`(function (exports, require, module, __filename, __dirname) {${source.startsWith('#!') ? `//${source}` : source}\n})`, {
    filename: MAIN,
    cachedData,
  });
  if (dir !== null && file !== null && (cachedData === undefined || script.cachedDataRejected === true)) {
    // written after the run, so the functions this command compiled on the way are in it too
    process.once('exit', () => writeCache(dir, file, script.createCachedData()));
  }
  const mod = { exports: {} };
  (script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void)(mod.exports, createRequire(MAIN), mod, MAIN, __dirname);
}

launch();
