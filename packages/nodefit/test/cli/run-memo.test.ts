// The run memo (src/cli/run-memo.ts) as users meet it through the built CLI: a repeated check of an unchanged host
// prints the same report without evaluating again, and a check of a host that changed in any way is made anew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { decodeRunMemo, encodeRunMemo, runMemoKey, type RunMemo } from '../../src/cli/run-memo.ts';
import type { TracedCall } from '../../src/host/fs-trace.ts';
import { fixtureManifest, need, tempDir, treeCopy } from '../helpers/fixtures.ts';
import { directoryCopy, hostFiles } from '../helpers/host-copy.ts';
import { churnedCgroups, churnedModules, NODE_MODULES } from '../helpers/node-churn.ts';
import { podMountLines } from '../helpers/pod-mounts.ts';
import { writeProfileDir } from '../helpers/profile-dir.ts';
import type { RootFs } from '../../src/host/root-fs.ts';

const DIST_CLI = path.resolve(import.meta.dirname, '../../dist/cli.cjs');
const SKIP = !fs.existsSync(DIST_CLI) && 'dist/cli.cjs missing: run npm run build';
const REPLAYED = /answered all \d+ reads of the last identical check as before/;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly replayed: boolean;
}

function runner(cache: string) {
  const env = (extra: Record<string, string>) => ({ ...process.env, NODEFIT_COMPILE_CACHE: cache, NODEFIT_DEBUG: '1', ...extra });
  const run = (args: readonly string[], extra: Record<string, string> = {}): Run => {
    const r = spawnSync(process.execPath, [DIST_CLI, 'check', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, env: env(extra) });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, replayed: REPLAYED.test(r.stderr) };
  };
  return {
    run,
    /** The same check with the memo off: what the report must be. */
    fresh: (args: readonly string[]): Run => run(args, { NODEFIT_RUN_MEMO: '0' }),
    memos: () => fs.readdirSync(cache).filter((n) => n.startsWith('run-memo-')),
  };
}

function assertSameReport(a: Run, b: Run, what: string): void {
  assert.equal(a.status, b.status, `${what}: exit code`);
  assert.equal(a.stdout, b.stdout, `${what}: report`);
}

test('a --root of a real Debian 6.12 kernel tree: replayed while unchanged, checked anew after each change', { skip: SKIP }, (t) => {
  const tree = fixtureManifest()?.trees['kernel-6.12'];
  if (!need(t, tree !== undefined && fs.existsSync(tree.root), 'the Debian 6.12 kernel tree (npm run fixtures)') || tree === undefined) return;
  const root = treeCopy(t, tree.root);
  const cli = runner(tempDir(t));
  const args = ['--root', root, '--format', 'json', '--fail-on', 'warning'];

  const first = cli.run(args);
  assert.equal(first.replayed, false);
  assertSameReport(first, cli.fresh(args), 'first run');
  const again = cli.run(args);
  assert.equal(again.replayed, true, again.stderr);
  assertSameReport(again, first, 'replayed run');

  // a module file goes away: the tree's listing is one of the answers
  const netfilter = path.join(root, 'lib/modules', tree.release, 'kernel/net/netfilter');
  const nfTables = fs.readdirSync(netfilter).find((n) => n.startsWith('nf_tables.ko')) as string;
  fs.rmSync(path.join(netfilter, nfTables));
  const noModule = cli.run(args);
  assert.equal(noModule.replayed, false);
  assertSameReport(noModule, cli.fresh(args), 'after nf_tables.ko went');
  assert.notEqual(noModule.stdout, first.stdout, 'the report says the module is gone');
  assert.equal(cli.run(args).replayed, true);

  // a new kernel config, written as a new file (the tree's files are hard links to the shared fixture)
  const configFile = path.join(root, 'boot', `config-${tree.release}`);
  const config = fs.readFileSync(configFile, 'utf8');
  assert.match(config, /^CONFIG_VXLAN=m$/m);
  fs.rmSync(configFile);
  fs.writeFileSync(configFile, config.replace(/^CONFIG_VXLAN=m$/m, '# CONFIG_VXLAN is not set'));
  const noVxlan = cli.run(args);
  assert.equal(noVxlan.replayed, false);
  assertSameReport(noVxlan, cli.fresh(args), 'after CONFIG_VXLAN went');
  assert.match(noVxlan.stdout, /CONFIG_VXLAN/);
  assert.notEqual(noVxlan.stdout, noModule.stdout);

  // other words, other workloads, another environment: each its own memo
  const flannel = [...args, '--workload', 'flannel'];
  assert.equal(cli.run(flannel).replayed, false);
  assert.equal(cli.run(flannel).replayed, true);
  assert.equal(cli.run(args, { SOME_VARIABLE: '1' }).replayed, false);
  assert.equal(cli.run(args).replayed, true, 'the first invocation kept its memo beside the others');

  // the root stops being a directory: the error, not the last report
  fs.rmSync(root, { recursive: true });
  fs.writeFileSync(root, 'not a tree\n');
  const gone = cli.run(args);
  assert.equal(gone.replayed, false);
  assert.equal(gone.status, 2);
  assert.equal(gone.stdout, '');
  assert.match(gone.stderr, /--root .*: not a directory/);
});

test('a --root of a node whose pods come and go: replayed across their mounts and counts, checked anew when a check reads the change', { skip: SKIP }, (t) => {
  if (!need(t, hostFiles.has('/proc/config.gz') && hostFiles.has('/proc/1/mountinfo'), "this machine's /proc/config.gz and /proc/1/mountinfo")) return;
  const made = podMountLines(tempDir(t), 2);
  if (!need(t, made.ok, `mounts in a private mount namespace (unshare --mount, as root)${made.ok ? '' : `: ${made.reason}`}`) || !made.ok) return;
  const host = directoryCopy(t);
  host.write('/proc/modules', Buffer.from(NODE_MODULES));
  const root = (host.fs as RootFs).root;
  const table = (hostFiles.get('/proc/1/mountinfo') as Buffer).toString('utf8');
  const cgroups = (hostFiles.get('/proc/cgroups') as Buffer).toString('utf8');
  const cli = runner(tempDir(t));
  const args = ['--root', root, '--format', 'json', '--fail-on', 'never'];
  const first = cli.run(args);
  assert.equal(first.replayed, false);
  assertSameReport(first, cli.fresh(args), 'first run');

  host.write('/proc/1/mountinfo', Buffer.from(`${table}${made.lines.join('\n')}\n`));
  host.write('/proc/modules', Buffer.from(churnedModules(NODE_MODULES, [5, 1, 40])));
  host.write('/proc/cgroups', Buffer.from(churnedCgroups(cgroups, [61, 3])));
  const busy = cli.run(args);
  assert.equal(busy.replayed, true, busy.stderr);
  assert.match(busy.stderr, /\/proc\/modules, \/proc\/cgroups, \/proc\/1\/mountinfo changed only in what nodefit does not keep of them/);
  assertSameReport(busy, cli.fresh(args), 'after the pods started');

  // a change checks read: nf_tables unloaded, then binfmt_misc mounted
  host.write('/proc/modules', Buffer.from(NODE_MODULES.replace(/^nf_tables .*\n/m, '')));
  const unloaded = cli.run(args);
  assert.equal(unloaded.replayed, false);
  assertSameReport(unloaded, cli.fresh(args), 'after nf_tables was unloaded');
  host.write('/proc/1/mountinfo', Buffer.from(`${table}99 22 0:50 / /proc/sys/fs/binfmt_misc rw,relatime - binfmt_misc binfmt_misc rw\n`));
  const binfmt = cli.run(args);
  assert.equal(binfmt.replayed, false);
  assertSameReport(binfmt, cli.fresh(args), 'after binfmt_misc was mounted');
  assert.notEqual(binfmt.stdout, unloaded.stdout, 'the report tells the binfmt_misc mount');
});

test('the live host: a repeated check replays, and equals a check made with the memo off', { skip: SKIP }, (t) => {
  const cli = runner(tempDir(t));
  for (const format of ['json', 'text', 'npd']) {
    const args = ['--format', format, '--fail-on', 'never'];
    const first = cli.run(args);
    assert.equal(first.replayed, false, format);
    const again = cli.run(args);
    assert.equal(again.replayed, true, `${format}: ${again.stderr}`);
    assertSameReport(again, first, format);
    assertSameReport(again, cli.fresh(args), `${format} against a fresh check`);
  }
});

test('no memo is kept with NODEFIT_RUN_MEMO=0, for a report written to a file, or for inputs it does not watch', { skip: SKIP }, (t) => {
  const dir = tempDir(t);
  const cache = path.join(dir, 'cache');
  fs.mkdirSync(cache, { mode: 0o700 });
  const cli = runner(cache);
  cli.fresh(['--fail-on', 'never']);
  cli.fresh(['--fail-on', 'never']);
  assert.deepEqual(cli.memos(), []);
  const out = path.join(dir, 'report.json');
  const config = path.join(dir, 'config');
  fs.writeFileSync(config, 'CONFIG_VXLAN=m\n');
  const kb = writeProfileDir(path.join(dir, 'kb'), 'mine', '{ id: fwd, kind: sysctl, key: net.ipv4.ip_forward, value: "1", level: required, source: https://example.com/b }');
  const image = path.join(dir, 'image');
  fs.mkdirSync(path.join(image, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(image, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
  const snapshot = path.join(dir, 'snap.json');
  assert.equal(spawnSync(process.execPath, [DIST_CLI, 'scan', '-o', snapshot], { env: { ...process.env, NODEFIT_COMPILE_CACHE: '0' } }).status, 0);
  const tree = fixtureManifest()?.trees['kernel-6.12'];
  const unwatched: string[][] = [
    ['--format', 'json', '-o', out],
    ['--kernel-config', config],
    ['--kb', kb],
    ['--image', image],
    ['--snapshot', snapshot],
    ...(tree === undefined ? [] : [['--modules', path.join(tree.root, 'lib/modules', tree.release)]]),
  ];
  for (const args of unwatched) {
    for (let i = 0; i < 2; i++) {
      const r = cli.run([...args, '--fail-on', 'never']);
      assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.replayed, false, args.join(' '));
    }
  }
  assert.ok(Array.isArray((JSON.parse(fs.readFileSync(out, 'utf8')) as { findings?: unknown }).findings), 'the report file is written each time');
  assert.deepEqual(cli.memos(), []);
});

test('a replayed report that cannot be written fails as a checked one does: one line, exit 2', { skip: SKIP }, (t) => {
  if (!need(t, fs.existsSync('/dev/full'), '/dev/full')) return;
  const cache = tempDir(t);
  const cli = runner(cache);
  const args = ['--format', 'json', '--fail-on', 'never'];
  cli.run(args);
  const toFull = (extra: Record<string, string>) => {
    const fd = fs.openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [DIST_CLI, 'check', ...args], { encoding: 'utf8', stdio: ['ignore', fd, 'pipe'], env: { ...process.env, NODEFIT_COMPILE_CACHE: cache, NODEFIT_DEBUG: '1', ...extra } });
      return { status: r.status, stderr: r.stderr };
    } finally {
      fs.closeSync(fd);
    }
  };
  const replayed = toFull({});
  const checked = toFull({ NODEFIT_RUN_MEMO: '0' });
  assert.match(replayed.stderr, REPLAYED);
  assert.equal(replayed.status, 2);
  assert.equal(checked.status, 2);
  const errorLine = (s: string) => s.split('\n').filter((l) => l.startsWith('nodefit: internal error'));
  assert.deepEqual(errorLine(replayed.stderr), errorLine(checked.stderr));
  assert.match(errorLine(replayed.stderr).join(''), /ENOSPC/);
});

test('a CLI bundle changed after the build is another program: its first check is made, not replayed', { skip: SKIP }, (t) => {
  const dist = path.join(tempDir(t), 'dist');
  fs.cpSync(path.dirname(DIST_CLI), dist, { recursive: true });
  const cache = tempDir(t);
  const run = () => {
    const r = spawnSync(process.execPath, [path.join(dist, 'cli.cjs'), 'check', '--workload', 'flannel', '--fail-on', 'never'], { encoding: 'utf8', env: { ...process.env, NODEFIT_COMPILE_CACHE: cache, NODEFIT_DEBUG: '1' } });
    return { stdout: r.stdout, replayed: REPLAYED.test(r.stderr) };
  };
  run();
  assert.equal(run().replayed, true);
  const bundle = path.join(dist, 'cli-main.cjs');
  fs.writeFileSync(bundle, fs.readFileSync(bundle, 'latin1').replace('Will these container workloads work', 'Will these workloads work'), 'latin1');
  const edited = run();
  assert.equal(edited.replayed, false);
});

test('a torn memo is never replayed, and at most eight invocations are kept', { skip: SKIP }, (t) => {
  const dir = tempDir(t);
  const cli = runner(dir);
  const args = ['--format', 'json', '--fail-on', 'never'];
  const first = cli.run(args);
  const [memo] = cli.memos();
  assert.ok(memo !== undefined);
  const file = path.join(dir, memo);
  fs.truncateSync(file, fs.statSync(file).size - 1);
  const torn = cli.run(args);
  assert.equal(torn.replayed, false);
  assertSameReport(torn, first, 'after a torn memo');
  assert.equal(cli.run(args).replayed, true, 'the torn memo was replaced');
  for (let i = 0; i < 10; i++) cli.run(args, { DISTINCT_RUN: String(i) });
  assert.equal(cli.memos().length, 8);
});

const call = fc.record({
  method: fc.constantFrom('readFile', 'stat', 'lstat', 'readlink', 'readdir', 'realpath', 'walkModuleDir' as const),
  path: fc.string(),
  maxBytes: fc.option(fc.nat(), { nil: undefined }),
  result: fc.oneof(
    fc.uint8Array({ maxLength: 64 }).map((a) => ({ kind: 'bytes' as const, data: Buffer.from(a) })),
    fc.jsonValue().map((v) => ({ kind: 'value' as const, json: JSON.stringify(v) })),
    fc.record({ kind: fc.constant('error' as const), code: fc.constantFrom('ENOENT', 'EACCES', 'ELOOP', 'ETOOBIG', 'ENOTDIR', 'EISDIR', 'EIO' as const), message: fc.string() }),
  ),
})
  // a file's bytes may carry their churn projection (facts/churn.ts), kept so a replay projects only the new bytes
  .chain((c) => (c.result.kind === 'bytes' ? fc.option(fc.string(), { nil: undefined }).map((p) => (p === undefined ? c : { ...c, projected: p })) : fc.constant(c))) as fc.Arbitrary<TracedCall>;

const memo: fc.Arbitrary<RunMemo> = fc.record({
  key: fc.string(),
  root: fc.string(),
  calls: fc.array(call, { maxLength: 8 }),
  stdout: fc.string().map((s) => Buffer.from(s, 'utf8')),
  exitCode: fc.integer({ min: 0, max: 2 }),
});

function normalised(m: RunMemo): string {
  return JSON.stringify({ ...m, stdout: m.stdout.toString('hex'), calls: m.calls.map((c) => ({ ...c, result: c.result.kind === 'bytes' ? { kind: 'bytes', hex: c.result.data.toString('hex') } : c.result })) });
}

test('property: a memo reads back as written, and any shorter or altered file reads as no memo, never as an error', () => {
  fc.assert(
    fc.property(memo, fc.nat(), fc.nat(255), (m, cut, byte) => {
      const buf = Buffer.concat(encodeRunMemo(m));
      assert.equal(normalised(decodeRunMemo(buf) as RunMemo), normalised(m));
      assert.equal(decodeRunMemo(buf.subarray(0, cut % buf.length)), undefined);
      const altered = Buffer.from(buf);
      altered[cut % buf.length] = byte;
      decodeRunMemo(altered); // may decode to another memo (the key inside decides its use) but must not throw
    }),
  );
});

test('the memo key takes the whole environment, the arguments, the directory, the Node binary and its flags, the bundle and whether stdout is a terminal', () => {
  const base = { argv: ['check'], env: { PATH: '/usr/bin', NO_COLOR: '1' }, cwd: '/', uid: 0, stdoutIsTTY: false, node: ['/usr/bin/node'], bundle: '440567-1796649675186' };
  const key = runMemoKey(base);
  assert.equal(runMemoKey({ ...base, env: { NO_COLOR: '1', PATH: '/usr/bin' } }), key, 'the order of variables does not matter');
  for (const other of [
    { ...base, env: { PATH: '/usr/bin' } },
    { ...base, env: { ...base.env, ANYTHING: '' } },
    { ...base, argv: ['check', '--format', 'json'] },
    { ...base, cwd: '/tmp' },
    { ...base, uid: 1000 },
    { ...base, stdoutIsTTY: true },
    { ...base, node: ['/usr/bin/node', '--require', './shim.cjs'] },
    { ...base, node: ['/opt/node22/bin/node'] },
    { ...base, bundle: '440568-1796649675186' },
  ]) {
    assert.notEqual(runMemoKey(other), key, JSON.stringify(other));
  }
});
