// The bundle users run (dist/cli.cjs) is built with its own tricks for start-up time; it must read the host exactly as
// the library does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { loadTarget } from '../../src/targets/load-target.ts';
import { encodeSnapshot } from '../../src/facts/snapshot-codec.ts';
import { DEBIAN_OS_RELEASE, packTar, writeDockerSave } from '../helpers/image-builder.ts';

const DIST_CLI = path.resolve(import.meta.dirname, '../../dist/cli.cjs');

const SKIP = !fs.existsSync(DIST_CLI) && 'dist/cli.cjs missing: run npm run build';

// these runs keep no compiled code: the cache has its own test below
const NO_CACHE = { ...process.env, NODEFIT_COMPILE_CACHE: '0' };

function runBundle(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [DIST_CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: NO_CACHE });
}

function scanWithBundle(args: readonly string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [DIST_CLI, 'scan', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: NO_CACHE });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Which facts are known and which unknown, area by area: what a broken bundle (say, a stubbed fs) would change. */
function factStates(snapshot: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, at: string): void => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    if (o.state === 'known' || o.state === 'unknown') {
      out.push(`${at}=${String(o.state)}`);
      return;
    }
    for (const [k, x] of Object.entries(o)) walk(x, `${at}.${k}`);
  };
  walk((snapshot as { facts: unknown }).facts, 'facts');
  return out.sort();
}

test('the built CLI scans the live host with the same known and unknown facts as the library', { skip: SKIP }, async () => {
  const bundle = scanWithBundle([]);
  const library = JSON.parse(JSON.stringify(encodeSnapshot(await loadTarget({ base: { kind: 'live' } })))) as unknown;
  assert.deepEqual(factStates(bundle), factStates(library));
  const kernel = (bundle.facts as { kernel: { release: { state: string; value?: string } } }).kernel;
  assert.deepEqual(kernel.release, { ...kernel.release, state: 'known', value: os.release() });
});

test('the built CLI reads a host root given with --root like the live host', { skip: SKIP }, () => {
  const viaRoot = scanWithBundle(['--root', '/']);
  const kernel = (viaRoot.facts as { kernel: { release: { state: string; value?: string } } }).kernel;
  assert.equal(kernel.release.value, os.release());
});

// The dependencies only some commands use live in dist/vendor/ and are required on first use: each path must find them.
test('the built CLI validates a saved snapshot (zod, loaded on first use)', { skip: SKIP }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-built-'));
  try {
    const snap = path.join(dir, 'host.json');
    assert.equal(runBundle(['scan', '-o', snap]).status, 0);
    const r = runBundle(['check', '--snapshot', snap, '-f', 'json', '--fail-on', 'never']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { target: { kind: string } }).target.kind, 'live');
    fs.writeFileSync(snap, '{"schemaVersion": 1, "kind": "nodefit-snapshot"}');
    const bad = runBundle(['check', '--snapshot', snap]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^nodefit: .*host\.json/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the built CLI reads --kb profiles and points at the line of a mistake (yaml and zod, loaded on first use)', { skip: SKIP }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-built-'));
  try {
    fs.writeFileSync(path.join(dir, 'broken.yaml'), 'id: broken\ntitle: x\ndescription: y\nreferences: [nope]\nrequirements: []\n');
    const r = runBundle(['check', '--kb', dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /broken\.yaml:4:\d+: invalid workload profile at references\.0/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the built CLI reads a docker-save image with gzip, xz and zstd layers (tar, xz and zstd readers, loaded on first use)', { skip: SKIP }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-built-'));
  try {
    const layers = [
      await packTar([{ name: 'etc/os-release', content: DEBIAN_OS_RELEASE }]),
      await packTar([{ name: 'usr/sbin/iptables', type: 'symlink', linkname: 'xtables-nft-multi' }]),
      await packTar([{ name: 'usr/bin/hello', content: 'hi\n' }]),
    ];
    const file = await writeDockerSave(path.join(dir, 'image.tar'), { layers, compression: ['gzip', 'xz', 'zstd'] });
    const r = runBundle(['image', file, '-f', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const image = (JSON.parse(r.stdout) as { image: { layers: number; osRelease: Record<string, string> | null; format: string } }).image;
    assert.equal(image.layers, 3);
    assert.equal(image.osRelease?.ID, 'debian');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the executable keeps compiled code in a private cache directory, gives the same output with it, and can be told not to', { skip: SKIP }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-cache-'));
  try {
    const run = (cache: string) => spawnSync(process.execPath, [DIST_CLI, 'explain', 'kernel-module'], { encoding: 'utf8', env: { ...process.env, NODEFIT_COMPILE_CACHE: cache } });
    const cache = path.join(dir, 'cache');
    const first = run(cache);
    assert.equal(first.status, 0, first.stderr);
    const files = fs.readdirSync(cache);
    assert.equal(files.length, 1);
    const file = path.join(cache, files[0]!);
    assert.match(files[0]!, /^cli-main-[0-9a-f]{16}-v\d+\.\d+\.\d+-[a-z0-9]+-\d+-\d+-explain\.v8$/);
    assert.equal(fs.statSync(cache).mode & 0o777, 0o700);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const second = run(cache);
    assert.deepEqual([second.status, second.stdout, second.stderr], [0, first.stdout, first.stderr]);
    // another command keeps its own file beside it (a cache made by one command lacks the other's compiled code)
    assert.equal(spawnSync(process.execPath, [DIST_CLI, 'workloads'], { env: { ...process.env, NODEFIT_COMPILE_CACHE: cache } }).status, 0);
    assert.deepEqual(fs.readdirSync(cache).map((f) => f.replace(/^.*-/, '')).sort(), ['explain.v8', 'workloads.v8']);
    fs.rmSync(path.join(cache, fs.readdirSync(cache).find((f) => f.endsWith('-workloads.v8'))!));

    // V8 refuses cached data that is not its own; the run goes on and a good cache replaces it
    fs.writeFileSync(file, Buffer.alloc(4096, 7), { mode: 0o600 });
    assert.equal(run(cache).stdout, first.stdout);
    assert.notDeepEqual(fs.readFileSync(file), Buffer.alloc(4096, 7));

    // a symlink or a file someone else owns is never read: the run compiles afresh and writes its own file
    const elsewhere = path.join(dir, 'elsewhere.v8');
    fs.copyFileSync(file, elsewhere);
    fs.rmSync(file);
    fs.symlinkSync(elsewhere, file);
    assert.equal(run(cache).stdout, first.stdout);
    assert.ok(fs.lstatSync(file).isFile());
    if (process.getuid?.() === 0) {
      fs.chownSync(file, 4242, 4242);
      assert.equal(run(cache).stdout, first.stdout);
      assert.equal(fs.statSync(file).uid, 0);
    }

    // a directory others can write is not trusted: code read from it would run here
    const shared = path.join(dir, 'shared');
    fs.mkdirSync(shared);
    fs.chmodSync(shared, 0o777);
    assert.equal(run(shared).stdout, first.stdout);
    assert.deepEqual(fs.readdirSync(shared), []);

    const off = path.join(dir, 'off');
    assert.equal(spawnSync(process.execPath, [DIST_CLI, '--version'], { env: { ...process.env, NODEFIT_COMPILE_CACHE: '0', HOME: off, XDG_CACHE_HOME: off } }).status, 0);
    assert.equal(fs.existsSync(off), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("another installed release's compiled code stays while in use, and goes a week after it was last written", { skip: SKIP }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-cache-'));
  try {
    const cache = path.join(dir, 'cache');
    fs.mkdirSync(cache, { mode: 0o700 });
    // what another release (another build hash, another Node) leaves in a shared ~/.cache/nodefit
    const recent = path.join(cache, 'cli-main-00000000deadbeef-v22.0.0-x64-1000-1-explain.v8');
    const stale = path.join(cache, 'cli-main-00000000deadbeef-v22.0.0-x64-1000-1-check.v8');
    for (const f of [recent, stale]) fs.writeFileSync(f, Buffer.alloc(64, 1), { mode: 0o600 });
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000);
    fs.utimesSync(stale, eightDaysAgo, eightDaysAgo);
    const r = spawnSync(process.execPath, [DIST_CLI, 'explain', 'kernel-module'], { encoding: 'utf8', env: { ...process.env, NODEFIT_COMPILE_CACHE: cache } });
    assert.equal(r.status, 0, r.stderr);
    const left = fs.readdirSync(cache);
    assert.ok(left.includes(path.basename(recent)), 'the release still in use keeps its file');
    assert.ok(!left.includes(path.basename(stale)), 'a file no run has written for a week is removed');
    assert.equal(left.filter((f) => !f.includes('deadbeef')).length, 1, 'this release wrote its own');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a short command that reads a target runs without V8\'s optimizing compiler, and the code it caches that way is taken on the next run', { skip: SKIP }, () => {
  // on this machine's kernel config (~4,000 lines) the parser loop used to be optimized by on-stack replacement
  const traced = spawnSync(process.execPath, ['--trace-opt', DIST_CLI, 'check', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 1 << 28, env: NO_CACHE });
  assert.equal(traced.status, 0, traced.stderr);
  assert.match(traced.stdout, /\d+ fail, \d+ warn, \d+ unknown, \d+ pass/);
  assert.doesNotMatch(traced.stdout, /\(target TURBOFAN\)/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-noopt-'));
  try {
    const cache = path.join(dir, 'cache');
    const run = () => spawnSync(process.execPath, [DIST_CLI, 'scan'], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NODEFIT_COMPILE_CACHE: cache } });
    assert.equal(run().status, 0);
    const [file] = fs.readdirSync(cache).filter((f) => f.endsWith('-scan.v8'));
    assert.ok(file !== undefined);
    const before = fs.statSync(path.join(cache, file));
    assert.equal(run().status, 0);
    // a cache V8 refused (made under other flags) would have been replaced by a new file
    const after = fs.statSync(path.join(cache, file));
    assert.deepEqual([after.ino, after.mtimeMs], [before.ino, before.mtimeMs]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle, written inside its function wrapper with short names, keeps a source map that points at the right src/ lines', { skip: SKIP }, () => {
  const js = fs.readFileSync(path.join(path.dirname(DIST_CLI), 'cli-main.cjs'), 'utf8');
  assert.ok(js.startsWith('(function (exports, require, module, __filename, __dirname) {\n') && js.endsWith('\n})'));
  const map = new SourceMap(JSON.parse(fs.readFileSync(path.join(path.dirname(DIST_CLI), 'cli-main.cjs.map'), 'utf8')) as SourceMapPayload);
  const cases: Array<[string, string]> = [
    ['no CONFIG_ lines, not a kernel config', 'src/facts/kernel/collect.ts'],
    ['gzip data expands past', 'src/facts/kernel/decode-config.ts'],
    ['unknown --fail-on', 'src/cli/commands/check.ts'],
  ];
  for (const [needle, file] of cases) {
    const at = js.indexOf(needle);
    assert.ok(at > 0, needle);
    const before = js.slice(0, at);
    const line = before.split('\n').length - 1;
    const entry = map.findEntry(line, at - before.lastIndexOf('\n') - 1);
    assert.ok('originalSource' in entry && entry.originalSource.endsWith(file), `${needle}: ${JSON.stringify(entry)}`);
    const original = fs.readFileSync(path.resolve(import.meta.dirname, '../..', file), 'utf8').split('\n');
    assert.ok(original[entry.originalLine]?.includes(needle), `${needle}: line ${entry.originalLine + 1} of ${file}`);
  }
});

test('a live check keeps /proc/config.gz decompressed beside the compiled code and reports the same with it', { skip: SKIP }, (t) => {
  if (!fs.existsSync('/proc/config.gz')) {
    t.skip('this kernel has no /proc/config.gz');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-cache-'));
  try {
    const cache = path.join(dir, 'cache');
    const run = (env: Record<string, string>) =>
      spawnSync(process.execPath, [DIST_CLI, 'check', '-f', 'json', '--fail-on', 'never'], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
    const without = run({ NODEFIT_COMPILE_CACHE: '0' });
    assert.equal(without.status, 0, without.stderr);
    const first = run({ NODEFIT_COMPILE_CACHE: cache });
    const memo = path.join(cache, 'kernel-config-gunzip.memo');
    assert.ok(fs.existsSync(memo));
    assert.equal(fs.statSync(memo).mode & 0o777, 0o600);
    const second = run({ NODEFIT_COMPILE_CACHE: cache });
    const findings = (r: { stdout: string }) => (JSON.parse(r.stdout) as { findings: unknown[]; target: unknown }).findings;
    assert.deepEqual(findings(first), findings(without));
    assert.deepEqual(findings(second), findings(without));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// The CLI writes straight to its descriptors (src/cli/fd-output.ts) and leaves through process.exit: nothing may be lost.

test('the built CLI stops quietly with its exit code when the reader of its output goes away (`nodefit scan | head`)', { skip: SKIP }, () => {
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${DIST_CLI}" scan | head -c 100 >/dev/null`], { encoding: 'utf8', env: NO_CACHE });
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
});

test('the built CLI hands its output whole and in order to a non-blocking pipe that fills up before anyone reads it', { skip: SKIP }, async (t) => {
  // A parent may leave stdout non-blocking (Node's own children never get that: libuv resets it, so python3 sets it).
  if (spawnSync('python3', ['-c', '']).status !== 0) {
    t.skip('python3 is needed to hand the CLI a non-blocking stdout');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-fifo-'));
  try {
    const fifo = path.join(dir, 'out');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    // the reader is open (so the CLI can never meet EPIPE) but takes nothing until the CLI has filled the pipe
    const fd = fs.openSync(fifo, fs.constants.O_RDWR);
    const reader = fs.createReadStream(fifo);
    await once(reader, 'open');
    const nonBlocking = 'import os, sys; os.set_blocking(1, False); os.execv(sys.argv[1], sys.argv[1:])';
    const child = spawn('python3', ['-c', nonBlocking, process.execPath, DIST_CLI, 'scan'], { stdio: ['ignore', fd, 'pipe'], env: NO_CACHE });
    fs.closeSync(fd);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // a pipe holds 64 KiB: the scan's JSON is more, so the CLI meets a full pipe (EAGAIN) before this starts reading
    await sleep(1500);
    const chunks: Buffer[] = [];
    for await (const c of reader) chunks.push(c as Buffer);
    assert.equal(await exited, 0, stderr);
    assert.equal(stderr, '');
    const out = Buffer.concat(chunks).toString('utf8');
    assert.ok(out.length > 64 * 1024, `scan output is ${out.length} bytes: too small to fill a pipe`);
    assert.equal((JSON.parse(out) as { schemaVersion: number }).schemaVersion, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
