// The run memo: a `nodefit check` of a live host or a --root remembers every answer the host's filesystem gave and
// the report those answers led to, so the next identical check (a node-problem-detector plugin or textfile cron job on
// a node, a CI machine) asks the host the same questions again and, when every answer is unchanged, prints that
// report without loading the CLI at all. Any different answer, or any other input, runs the check anew; the files pod
// churn rewrites are compared by what collection keeps of them (facts/churn.ts).
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import type { HostFsErrorCode } from '../host/host-fs.ts';
import type { TracedCall, TracedMethod, TracedResult } from '../host/fs-trace.ts';
import { readPrivateFile, writePrivateFile } from './private-cache.ts';

/** Set by build.ts, the same in the executable and the CLI bundle and new on every build; absent when run from src/. */
declare const NODEFIT_BUILD_ID: string | undefined;

const MAGIC = 'nodefit-run-memo-v1\n';
const PREFIX = 'run-memo-';
const SUFFIX = '.memo';
/** A host whose answers are larger than this is simply checked every time (a full module tree with its indexes is ~4 MB). */
export const MAX_RUN_MEMO_BYTES = 16 * 1024 * 1024;
/** Distinct invocations kept (formats, workloads, roots): a cron job and an npd plugin on one node fit with room. */
const KEEP = 8;

/** Everything besides the host's answers that a check's report depends on. */
export interface RunInputs {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly uid: number;
  /** Colour is decided by it. */
  readonly stdoutIsTTY: boolean;
  /** The Node binary and its own flags (a preloaded module could change anything). */
  readonly node: readonly string[];
  /** Size and mtime of the CLI bundle that would run: a bundle replaced or edited after the build is another program. */
  readonly bundle: string;
}

/** This process's inputs; `bundleFile` is dist/cli-main.cjs, which the executable runs. */
export function processRunInputs(cwd: string, uid: number, stdoutIsTTY: boolean, bundleFile: string): RunInputs {
  let bundle = '';
  try {
    const st = nodeFs.statSync(bundleFile);
    bundle = `${st.size}-${st.mtimeMs}`;
  } catch {
    // no bundle to name: the key says so, and nothing kept by a run that had one matches
  }
  return { argv: process.argv.slice(2), env: process.env, cwd, uid, stdoutIsTTY, node: [process.execPath, ...process.execArgv], bundle };
}

export interface RunMemo {
  readonly key: string;
  /** The RootFs root the calls were made under: "/" for the live host, else the absolute --root. */
  readonly root: string;
  readonly calls: readonly TracedCall[];
  readonly stdout: Buffer;
  readonly exitCode: number;
}

/** Off from source (no build id), with NODEFIT_RUN_MEMO=0, and wherever the private cache is off. */
export function runMemoEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  return typeof NODEFIT_BUILD_ID === 'string' && env.NODEFIT_RUN_MEMO !== '0' && env.NODEFIT_RUN_MEMO !== 'off';
}

/**
 * The whole environment is in the key, not a list of the variables known to matter: a variable read somewhere later
 * (PATH for a tool lookup, NO_COLOR, NODEFIT_*) can then never be the one that was forgotten.
 */
export function runMemoKey(inputs: RunInputs): string {
  const env = Object.entries(inputs.env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const build = typeof NODEFIT_BUILD_ID === 'string' ? NODEFIT_BUILD_ID : '';
  return JSON.stringify([build, process.version, process.arch, inputs.node, inputs.bundle, inputs.uid, inputs.cwd, inputs.argv, inputs.stdoutIsTTY, env]);
}

/** FNV-1a over UTF-16 units: names the file only; the key inside it is compared whole. */
function keyHash(key: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export function runMemoFile(dir: string, key: string): string {
  return nodePath.join(dir, `${PREFIX}${keyHash(key)}${SUFFIX}`);
}

type WireCall = [TracedMethod, string, number | null, 'b', number, string?] | [TracedMethod, string, number | null, 'v', string] | [TracedMethod, string, number | null, 'e', HostFsErrorCode, string];

interface WireHeader {
  key: string;
  root: string;
  exitCode: number;
  stdout: number;
  calls: WireCall[];
}

export function encodeRunMemo(memo: RunMemo): Buffer[] {
  const payload: Buffer[] = [];
  const calls = memo.calls.map((c): WireCall => {
    const m = c.maxBytes ?? null;
    switch (c.result.kind) {
      case 'bytes':
        payload.push(c.result.data);
        return c.projected === undefined ? [c.method, c.path, m, 'b', c.result.data.length] : [c.method, c.path, m, 'b', c.result.data.length, c.projected];
      case 'value':
        return [c.method, c.path, m, 'v', c.result.json];
      case 'error':
        return [c.method, c.path, m, 'e', c.result.code, c.result.message];
    }
  });
  const header: WireHeader = { key: memo.key, root: memo.root, exitCode: memo.exitCode, stdout: memo.stdout.length, calls };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  return [Buffer.from(`${MAGIC}${json.length}\n`, 'latin1'), json, ...payload, memo.stdout];
}

const METHODS: ReadonlySet<string> = new Set<TracedMethod>(['readFile', 'stat', 'lstat', 'readlink', 'readdir', 'realpath', 'walkModuleDir']);

/** The memo in `buf`, or undefined for anything this version did not write whole (another version, a torn file). */
export function decodeRunMemo(buf: Buffer): RunMemo | undefined {
  if (buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
  const eol = buf.indexOf(10, MAGIC.length);
  if (eol === -1) return undefined;
  const length = Number(buf.toString('latin1', MAGIC.length, eol));
  const start = eol + 1;
  if (!Number.isSafeInteger(length) || start + length > buf.length) return undefined;
  let header: WireHeader;
  try {
    header = JSON.parse(buf.toString('utf8', start, start + length)) as WireHeader;
  } catch {
    return undefined;
  }
  if (typeof header.key !== 'string' || typeof header.root !== 'string' || !Number.isInteger(header.exitCode) || !Array.isArray(header.calls)) return undefined;
  let off = start + length;
  const calls: TracedCall[] = [];
  for (const w of header.calls) {
    if (!Array.isArray(w) || !METHODS.has(w[0]) || typeof w[1] !== 'string') return undefined;
    const maxBytes = typeof w[2] === 'number' ? w[2] : undefined;
    let result: TracedResult;
    let projected: string | undefined;
    if (w[3] === 'b' && Number.isSafeInteger(w[4]) && w[4] >= 0 && off + w[4] <= buf.length && (w[5] === undefined || typeof w[5] === 'string')) {
      result = { kind: 'bytes', data: buf.subarray(off, off + w[4]) };
      off += w[4];
      projected = w[5];
    } else if (w[3] === 'v' && typeof w[4] === 'string') {
      result = { kind: 'value', json: w[4] };
    } else if (w[3] === 'e' && typeof w[4] === 'string' && typeof w[5] === 'string') {
      result = { kind: 'error', code: w[4], message: w[5] };
    } else {
      return undefined;
    }
    calls.push(projected === undefined ? { method: w[0], path: w[1], maxBytes, result } : { method: w[0], path: w[1], maxBytes, result, projected });
  }
  if (!Number.isSafeInteger(header.stdout) || off + header.stdout !== buf.length) return undefined;
  return { key: header.key, root: header.root, calls, stdout: buf.subarray(off), exitCode: header.exitCode };
}

/** The memo for exactly these inputs, if one was kept. */
export function readRunMemo(dir: string, key: string, uid: number): RunMemo | undefined {
  const buf = readPrivateFile(runMemoFile(dir, key), uid, MAX_RUN_MEMO_BYTES);
  const memo = buf === undefined ? undefined : decodeRunMemo(buf);
  return memo?.key === key ? memo : undefined;
}

/** A memo just replayed counts as recent: the invocation that repeats most is the last one pruning should drop. */
export function touchRunMemo(dir: string, key: string): void {
  try {
    const now = new Date();
    nodeFs.utimesSync(runMemoFile(dir, key), now, now);
  } catch {
    // pruned early at worst
  }
}

/** A writer killed between writing and renaming leaves its temp file (private-cache.ts writePrivateFile). */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** Keeps the memo, and only the KEEP most recently used; never throws (a run without a memo is only slower). */
export function writeRunMemo(dir: string, memo: RunMemo): void {
  const parts = encodeRunMemo(memo);
  if (parts.reduce((n, p) => n + p.length, 0) > MAX_RUN_MEMO_BYTES) return;
  if (!writePrivateFile(runMemoFile(dir, memo.key), parts)) return;
  try {
    const names = nodeFs.readdirSync(dir).filter((n) => n.startsWith(PREFIX));
    for (const n of names.filter((n) => n.endsWith('.tmp'))) {
      const file = nodePath.join(dir, n);
      if (Date.now() - nodeFs.statSync(file).mtimeMs > STALE_TEMP_MS) nodeFs.rmSync(file, { force: true });
    }
    const memos = names
      .filter((n) => n.endsWith(SUFFIX))
      .map((n) => {
        const file = nodePath.join(dir, n);
        return { file, mtime: nodeFs.statSync(file).mtimeMs };
      })
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of memos.slice(KEEP)) nodeFs.rmSync(old.file, { force: true });
  } catch {
    // one more memo than intended stays until the next write
  }
}
