// `nodefit image` in-process: facts as text and JSON, the cross-checks with --host, exit codes, one-line input errors.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run.ts';
import { need, tempDir } from '../helpers/fixtures.ts';
import { DEBIAN_OS_RELEASE, KMOD_DEBS, debLayers, packTar, writeDockerSave } from '../helpers/image-builder.ts';
import { debianTree, recompressedTree } from './host-tree.ts';

void test('nodefit image: facts, then --host a gzip module tree fails naming the modules (exit 1); an xz tree passes (exit 0)', async (t) => {
  const debs = debLayers(KMOD_DEBS);
  if (!need(t, debs !== null && debianTree() !== null, 'Debian kmod and kernel 6.1 fixtures')) return;
  const dir = tempDir(t);
  // hand-made: os-release (base-files is not among the fixtures).
  const layers = [...debs!, await packTar([{ name: 'etc/os-release', content: DEBIAN_OS_RELEASE }])];
  const img = await writeDockerSave(path.join(dir, 'cilium-like.tar'), { layers, compression: 'gzip' });

  const io = memoryIo();
  assert.equal(await runCli(['image', img], io), 0);
  assert.match(io.out, /modprobe\s+\/sbin\/modprobe -> \/bin\/kmod/);
  assert.match(io.out, /kmod 30\s+\+ZSTD \+XZ -ZLIB \+LIBCRYPTO -EXPERIMENTAL/);
  assert.match(io.out, /decompresses: gzip no, xz yes, zstd yes/);

  const json = memoryIo();
  assert.equal(await runCli(['image', img, '--format', 'json'], json), 0);
  const parsed = JSON.parse(json.out) as { image: { modprobe: { featureLine: string } } };
  assert.equal(parsed.image.modprobe.featureLine, '+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL');

  const gz = recompressedTree(path.join(dir, 'gz'), 'gzip');
  const bad = memoryIo();
  assert.equal(await runCli(['image', img, '--host', gz, '-w', 'cilium'], bad), 1);
  assert.match(bad.out, /FAIL.*\/sbin\/modprobe \(-> \/bin\/kmod\), kmod 30.*cannot decompress gzip modules.*iptable_raw/);

  const xz = recompressedTree(path.join(dir, 'xz'), 'xz');
  const good = memoryIo();
  assert.equal(await runCli(['image', img, '--host', xz, '-w', 'cilium', '-f', 'json'], good), 0);
  const report = (JSON.parse(good.out) as { report: { findings: { checkId: string; outcome: string }[] } }).report;
  assert.equal(report.findings.find((f) => f.checkId === 'image-modprobe-compression')?.outcome, 'pass');
  assert.ok(report.findings.every((f) => f.checkId.startsWith('image-')));
});

void test('nodefit image on bad input: exit 2 and one line on stderr', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'evil.tar'), await packTar([{ name: '../../etc/cron.d/x', content: 'x' }]));
  const io = memoryIo();
  assert.equal(await runCli(['image', path.join(dir, 'evil.tar')], io), 2);
  assert.equal(io.err.trim().split('\n').length, 1);
  assert.match(io.err, /evil\.tar: tar entry "\.\.\/\.\.\/etc\/cron\.d\/x" contains "\.\."/);
  assert.ok(!fs.existsSync('/etc/cron.d/x'));
  const nf = memoryIo();
  assert.equal(await runCli(['image', path.join(dir, 'evil.tar'), '--format', 'yaml'], nf), 2);
  const host = memoryIo();
  assert.equal(await runCli(['image', path.join(dir, 'evil.tar'), '--host', path.join(dir, 'nope')], host), 2);
  assert.match(host.err, /--host .*nope: no such file or directory/);
});
