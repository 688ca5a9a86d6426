#!/usr/bin/env node
// The `nodefit` executable: runs the CLI bundle through V8's code cache, because compiling it is most of what a short
// run costs beyond Node itself (Node >= 22 has module.enableCompileCache for this; Node 20 only has vm.Script).
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import * as nodeVm from 'node:vm';
import { currentUid, privateCacheDir, readPrivateFile, writePrivateFile } from './private-cache.ts';
import { replayRunMemo } from './replay-run-memo.ts';

/** sha256 of cli-main.cjs, set by build.ts: a new release never runs an old release's cached code. */
declare const NODEFIT_MAIN_SHA256: string;
/** The command names (src/cli/run.ts COMMANDS), set by build.ts: each keeps its own cache file. */
declare const NODEFIT_COMMANDS: readonly string[];
/** The commands whose CommandSpec says compiler 'baseline', set by build.ts. */
declare const NODEFIT_BASELINE_COMMANDS: readonly string[];

const MAIN = nodePath.join(__dirname, 'cli-main.cjs');
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

type Main = (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void;

/**
 * Another release's (or another Node's) code is kept while it is in use: two installed versions that share a home
 * (a CI image, npx of two releases) would otherwise delete each other's files on every run and never run from cache.
 */
const OTHER_RELEASE_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Writes this release's file and removes other releases' files not written for OTHER_RELEASE_KEPT_MS: a file that is
 * read but never written again (its release no longer runs here) goes a week after it was made, an upgraded
 * release's at the latest a week after the upgrade.
 */
function writeCache(dir: string, file: string, keep: string, data: Buffer): void {
  if (!writePrivateFile(file, data)) return;
  try {
    const now = Date.now();
    for (const name of nodeFs.readdirSync(dir)) {
      if (!name.startsWith('cli-main-') || !name.endsWith('.v8') || name.startsWith(keep)) continue;
      const other = nodePath.join(dir, name);
      if (now - nodeFs.statSync(other).mtimeMs > OTHER_RELEASE_KEPT_MS) nodeFs.rmSync(other, { force: true });
    }
  } catch {
    // an old file stays behind: the next run that writes tries again
  }
}

/**
 * The bundle's text and the buffer it was read into. The buffer is made twice the bundle's size, so the code cache
 * (a little larger than the bundle) is read into the same memory afterwards: fresh pages are what a short run pays
 * most for on a virtual machine (~10 µs each here, and a 465 KB cache is over a hundred of them). build.ts makes sure
 * the bundle is ASCII, so latin1 decodes it exactly, with no UTF-8 validation pass.
 */
function readBundle(): { source: string; st: nodeFs.Stats; scratch: Buffer } {
  const fd = nodeFs.openSync(MAIN, 'r');
  try {
    const st = nodeFs.fstatSync(fd);
    const scratch = Buffer.allocUnsafeSlow(2 * st.size);
    let off = 0;
    while (off < st.size) {
      const n = nodeFs.readSync(fd, scratch, off, st.size - off, off);
      if (n === 0) break;
      off += n;
    }
    return { source: scratch.toString('latin1', 0, off), st, scratch };
  } finally {
    nodeFs.closeSync(fd);
  }
}

function launch(): void {
  const uid = currentUid();
  const dir = privateCacheDir(process.env, uid);
  const replayed = dir === null ? undefined : replayRunMemo(dir, uid, MAIN);
  if (replayed !== undefined) {
    // the same early way out as the CLI's own (main.ts finish)
    if (replayed.drained()) process.exit(replayed.exitCode);
    return;
  }
  // the bundle as build.ts writes it: Node's CommonJS function wrapper around the code, the wrapper on lines of its own
  const { source, st, scratch } = readBundle();
  const mod = { exports: {} };
  // `serve` runs for days, so its start-up time does not matter, and it import()s the ES-module server: code compiled
  // by vm.Script has no import() callback on Node 20 ("A dynamic import callback was not specified") without an
  // experimental flag, and Function code has one. build.ts refuses any other import() in the bundle.
  if (process.argv[2] === 'serve') {
    const body = source.slice(source.indexOf('\n') + 1, source.lastIndexOf('\n'));
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the bundle's own code, read from beside this file
    const run = new Function('exports', 'require', 'module', '__filename', '__dirname', `${body}\n//# sourceURL=${MAIN}`) as Main;
    run(mod.exports, require, mod, MAIN, __dirname);
    return;
  }
  const word = process.argv[2];
  // In a short run that reads a target TurboFan optimizes one function, the kernel config parser, by on-stack
  // replacement, and that compile finishes after the run it would speed up: it was a fifth of a live check's CPU time,
  // and turning it off saves 5-10 ms of ~110 (measured interleaved, net of loading node:v8). V8 reads the flag when it
  // decides to optimize, so setting it here works; it is set before the Script is compiled, because the code cache
  // records the flags it was made with.
  if (word !== undefined && NODEFIT_BASELINE_COMMANDS.includes(word)) {
    // These commands report every error by its message (src/cli/run.ts errorLine) and show a stack only with
    // NODEFIT_DEBUG=1, yet each failed fs call (a config location that does not exist, of a dozen tried) captured one:
    // ~20 µs apiece.
    if (process.env.NODEFIT_DEBUG !== '1') Error.stackTraceLimit = 0;
    try {
      process.getBuiltinModule('node:v8').setFlagsFromString('--no-opt');
    } catch {
      // a Node that refuses the flag runs as before
    }
  }
  // the build's hash names the release; size and mtime catch a bundle edited after the build
  const key = `${NODEFIT_MAIN_SHA256.slice(0, 16)}-${process.version}-${process.arch}-${st.size}-${Math.trunc(st.mtimeMs)}`;
  // V8 keeps the code of the functions a run compiled: a cache made by `scan` would leave `check` compiling its own
  // functions on every run, so each command keeps its own file (anything else, such as --help, shares one)
  const command = word !== undefined && NODEFIT_COMMANDS.includes(word) ? word : 'other';
  const file = dir === null ? null : nodePath.join(dir, `cli-main-${key}-${command}.v8`);
  const cachedData = file === null ? undefined : readPrivateFile(file, uid, MAX_CACHE_BYTES, scratch);
  const script = new nodeVm.Script(source, { filename: MAIN, cachedData });
  if (dir !== null && file !== null && (cachedData === undefined || script.cachedDataRejected === true)) {
    // written after the run, so the functions this command compiled on the way are in it too
    process.once('exit', () => writeCache(dir, file, `cli-main-${key}-`, script.createCachedData()));
  }
  // this file's own require serves the bundle: both live in dist/, so ./vendor/… resolves the same for either, and
  // node:module (which createRequire needs) stays unloaded
  (script.runInThisContext() as Main)(mod.exports, require, mod, MAIN, __dirname);
}

launch();
