// Either side of `nodefit diff` can be any target: detection by content, and the CLI on real corpus configs
// (Debian 12's 6.1 → Debian 13's 6.12), a snapshot round trip, and bad input as one line with exit 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { detectSide } from '../../../src/engine/diff/diff-target.ts';
import { runCli } from '../../../src/cli/run.ts';
import { memoryIo } from '../../../src/cli/io.ts';
import { KERNEL_CONFIGS_DIR, need, tempDir } from '../../helpers/fixtures.ts';
import { writeProfileDir } from '../../helpers/profile-dir.ts';
import type { DiffReport } from '../../../src/engine/diff/diff-report.ts';

const debian12 = path.join(KERNEL_CONFIGS_DIR, 'debian12-6.1.159-1.config');
const debian13 = path.join(KERNEL_CONFIGS_DIR, 'debian13-6.12.63-1.config');

test('sides are recognised by content: package magic, JSON snapshot, config text or gzip, directory', (t) => {
  const dir = tempDir(t);
  const w = (name: string, data: string | Buffer): string => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, data);
    return p;
  };
  assert.equal(detectSide(w('a.bin', '!<arch>\ndebian-binary')), 'kernel-package');
  assert.equal(detectSide(w('b', Buffer.from([0xed, 0xab, 0xee, 0xdb, 3, 0]))), 'kernel-package');
  assert.equal(detectSide(w('c', '  {"kind":"nodefit-snapshot"}')), 'snapshot');
  assert.equal(detectSide(w('config-x', '#\n# Automatically generated file; DO NOT EDIT.\n# Linux/x86 6.1.0 Kernel Configuration\nCONFIG_X=y\n')), 'kernel-config');
  assert.equal(detectSide(w('config.gz', gzipSync('CONFIG_X=y\n'))), 'kernel-config');
  assert.equal(detectSide(dir), 'root');
  assert.throws(() => detectSide(w('notes.txt', 'hello')), /not a snapshot, host root, kernel package \(\.deb\/\.rpm\) or kernel config/);
  assert.throws(() => detectSide(path.join(dir, 'nope')), /no such file or directory/);
});

test('nodefit diff of two real kernel configs: the v1 controllers Debian 13 dropped break Kata', async (t) => {
  if (!need(t, fs.existsSync(debian12) && fs.existsSync(debian13), 'the kernel config corpus')) return;
  const io = memoryIo();
  const code = await runCli(['diff', debian12, debian13, '-w', 'kata-containers', '--format', 'json', '--fail-on', 'warning'], io);
  assert.equal(io.err, '');
  const d = JSON.parse(io.out) as DiffReport;
  assert.equal(d.before.kind, 'kernel-config');
  const moved = new Map(d.facts.map((f) => [f.fact, f]));
  assert.equal(moved.get('kernel.config.CPUSETS_V1')?.after, 'n');
  assert.equal(moved.get('kernel.config.MEMCG_V1')?.after, 'n');
  assert.equal(d.workloads.find((w) => w.workload === 'kata-containers')?.status, 'breaks');
  assert.equal(code, 1);

  const text = memoryIo();
  assert.equal(await runCli(['diff', debian12, debian13, '-w', 'kata-containers'], text), 0, 'warnings do not trip the default --fail-on error');
  // Kata's v1 requirements are optional (guest agents >= 3.14 cope), so the upgrade puts it at risk without breaking it
  assert.match(text.out, /kata-containers: AT RISK \(0 new failure\(s\), 2 new warning\(s\)/);
  assert.match(text.out, /moved: kernel\.config\.CPUSETS_V1: \(absent\) → n/);

  // the reverse direction is a fix, not a failure
  const back = memoryIo();
  assert.equal(await runCli(['diff', debian13, debian12, '-w', 'kata-containers', '--fail-on', 'warning'], back), 0);
  assert.match(back.out, /kata-containers: FIXED/);
});

test('a snapshot written by scan diffs against a config; junit and sarif go to --output atomically', async (t) => {
  if (!need(t, fs.existsSync(debian13), 'the kernel config corpus')) return;
  const dir = tempDir(t);
  const snap = path.join(dir, 'node.json');
  const scan = memoryIo();
  const scanCode = await runCli(['scan', '--kernel-config', debian13, '-o', snap], scan);
  if (scanCode !== 0 || !fs.existsSync(snap)) {
    t.skip(`nodefit scan -o is not available yet (${scan.err.trim()})`);
    return;
  }
  const out = path.join(dir, 'diff.xml');
  const io = memoryIo();
  assert.equal(await runCli(['diff', snap, debian13, '--format', 'junit', '-o', out], io), 0);
  assert.match(fs.readFileSync(out, 'utf8'), /^<\?xml version="1.0"/);
  const same = memoryIo();
  await runCli(['diff', snap, debian13, '--format', 'json'], same);
  assert.equal((JSON.parse(same.out) as DiffReport).summary.newFailures, 0, 'the same kernel twice: nothing new');
});

test('bad sides and options: one line on stderr, exit 2', async (t) => {
  const dir = tempDir(t);
  const junk = path.join(dir, 'junk.deb');
  fs.writeFileSync(junk, '!<arch>\nbroken');
  for (const [args, pattern] of [
    [['diff', junk, junk], /junk\.deb: ar member header at offset 8 is truncated/],
    [['diff', path.join(dir, 'none'), junk], /none: no such file or directory/],
    [['diff', dir, dir, '--format', 'html'], /--format html: diff writes text, json, sarif, junit/],
  ] as const) {
    const io = memoryIo();
    assert.equal(await runCli([...args], io), 2);
    assert.match(io.err, pattern);
    assert.equal(io.err.trim().split('\n').length, 1, io.err);
  }
});

test('diff --kb (repeatable) evaluates the added profiles on both real corpus configs', async (t) => {
  if (!need(t, fs.existsSync(debian12) && fs.existsSync(debian13), 'the Debian 12 and 13 corpus configs')) return;
  const dir = tempDir(t);
  // hand-made profiles: one needs an option both kernels build, one an option only 6.12 has (in-kernel decompression)
  const profile = (id: string, option: string) => writeProfileDir(path.join(dir, id), id, `{ id: o, kind: kernel-option, anyOf: [${option}], level: required, source: https://example.com/b }`);
  let out = '';
  const code = await runCli(['diff', debian12, debian13, '--kb', profile('mine', 'VXLAN'), '--kb', profile('decompress', 'MODULE_DECOMPRESS'), '-w', 'mine,decompress', '--format', 'json'], { ...memoryIo(), stdout: (s) => void (out += s), stderr: () => undefined });
  const d = JSON.parse(out) as DiffReport;
  assert.deepEqual(d.workloads.filter((w) => w.workload !== null).map((w) => [w.workload, w.status]).sort(), [['decompress', 'fixed'], ['mine', 'unchanged']]);
  assert.equal(code, 0);
});
