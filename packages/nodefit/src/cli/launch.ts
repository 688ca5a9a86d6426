#!/usr/bin/env node
// The `nodefit` executable: runs the CLI bundle through V8's code cache, because compiling it is most of what a short
// run costs beyond Node itself (Node >= 22 has module.enableCompileCache for this; Node 20 only has vm.Script).
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import * as nodeVm from 'node:vm';

/** sha256 of cli-main.cjs, set by build.ts: a new release never runs an old release's cached code. */
declare const NODEFIT_MAIN_SHA256: string;
/** The command names (src/cli/run.ts COMMANDS), set by build.ts: each keeps its own cache file. */
declare const NODEFIT_COMMANDS: readonly string[];

const MAIN = nodePath.join(__dirname, 'cli-main.cjs');
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Cached code runs in this process (often as root), so it is only read from and written to places no one else can
 * change: every directory from / down is owned by us or root and writable by no one else, and nothing is a symlink.
 */
function trusted(st: nodeFs.Stats, uid: number): boolean {
  return (st.uid === uid || st.uid === 0) && (st.mode & 0o022) === 0;
}

/** A root-owned sticky directory (/tmp) lets no one else rename or remove what we keep below it. */
function stickyRoot(st: nodeFs.Stats): boolean {
  return st.uid === 0 && (st.mode & 0o1000) !== 0;
}

function trustedDir(dir: string, uid: number): boolean {
  for (let d = dir; ; d = nodePath.dirname(d)) {
    let st: nodeFs.Stats;
    try {
      st = nodeFs.lstatSync(d);
    } catch {
      return false;
    }
    if (!st.isDirectory() || !(trusted(st, uid) || (d !== dir && stickyRoot(st)))) return false;
    if (d === nodePath.dirname(d)) return true;
  }
}

/**
 * $NODEFIT_COMPILE_CACHE (a directory, or "0" to keep nothing), else $XDG_CACHE_HOME/nodefit or ~/.cache/nodefit.
 * Only the last directory is ever created, inside a parent that already passes the checks; otherwise (a read-only or
 * foreign home, `sudo -E` with someone else's HOME) the CLI runs without a cache.
 */
function cacheDir(uid: number): string | null {
  const env = process.env.NODEFIT_COMPILE_CACHE;
  if (env === '0' || env === 'off') return null;
  const xdg = process.env.XDG_CACHE_HOME;
  const home = process.env.HOME;
  const dir = env ? env : xdg ? nodePath.join(xdg, 'nodefit') : home ? nodePath.join(home, '.cache', 'nodefit') : null;
  if (dir === null || !nodePath.isAbsolute(dir)) return null;
  if (!nodeFs.existsSync(dir)) {
    try {
      nodeFs.mkdirSync(dir, { mode: 0o700 });
    } catch {
      // made by a concurrent run, or its parent is missing: either way the checks below decide
    }
  }
  return trustedDir(dir, uid) ? dir : null;
}

function readCache(file: string, uid: number): Buffer | undefined {
  let fd: number;
  try {
    fd = nodeFs.openSync(file, nodeFs.constants.O_RDONLY | nodeFs.constants.O_NOFOLLOW | nodeFs.constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = nodeFs.fstatSync(fd);
    if (!st.isFile() || st.uid !== uid || (st.mode & 0o022) !== 0 || st.size > MAX_CACHE_BYTES) return undefined;
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = nodeFs.readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) return undefined;
      off += n;
    }
    return buf;
  } catch {
    return undefined;
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** Keeps the files of one release and Node version per directory: a new release or another Node replaces the old. */
function writeCache(dir: string, file: string, keep: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    nodeFs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    nodeFs.renameSync(tmp, file);
    for (const name of nodeFs.readdirSync(dir)) {
      if (name.startsWith('cli-main-') && name.endsWith('.v8') && !name.startsWith(keep)) nodeFs.rmSync(nodePath.join(dir, name), { force: true });
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
    module.require(MAIN);
    return;
  }
  const source = nodeFs.readFileSync(MAIN, 'utf8');
  const uid = process.getuid?.() ?? -1;
  const dir = uid === -1 ? null : cacheDir(uid);
  // the build's hash names the release; size and mtime catch a bundle edited after the build
  const st = nodeFs.statSync(MAIN);
  const key = `${NODEFIT_MAIN_SHA256.slice(0, 16)}-${process.version}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}`;
  // V8 keeps the code of the functions a run compiled: a cache made by `scan` would leave `check` compiling its own
  // functions on every run, so each command keeps its own file (anything else, such as --help, shares one)
  const word = process.argv[2];
  const command = word !== undefined && NODEFIT_COMMANDS.includes(word) ? word : 'other';
  const file = dir === null ? null : nodePath.join(dir, `cli-main-${key}-${command}.v8`);
  const cachedData = file === null ? undefined : readCache(file, uid);
  // the same wrapper Node puts around a CommonJS module
  const script = new nodeVm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: MAIN,
    cachedData,
  });
  if (dir !== null && file !== null && (cachedData === undefined || script.cachedDataRejected === true)) {
    // written after the run, so the functions this command compiled on the way are in it too
    process.once('exit', () => writeCache(dir, file, `cli-main-${key}-`, script.createCachedData()));
  }
  const mod = { exports: {} };
  // this file's own require serves the bundle: both live in dist/, so ./vendor/… resolves the same for either, and
  // node:module (which createRequire needs) stays unloaded
  (script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void)(mod.exports, require, mod, MAIN, __dirname);
}

launch();
