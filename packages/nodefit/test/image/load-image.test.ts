// Reading real images built from Debian packages in every input format and layer compression, without a daemon.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

import { loadImage } from '../../src/image/load-image.ts';
import { need, tempDir } from '../helpers/fixtures.ts';
import {
  DEBIAN_OS_RELEASE,
  KMOD_DEBS,
  debLayers,
  packTar,
  tarDirectory,
  writeDockerSave,
  writeOciArchive,
  writeOciLayout,
  type LayerCompression,
} from '../helpers/image-builder.ts';

async function kmodLayers(): Promise<Buffer[] | null> {
  const debs = debLayers(KMOD_DEBS);
  if (debs === null) return null;
  // hand-made: os-release (base-files is not a fixture).
  return [...debs, await packTar([{ name: 'etc/', type: 'directory' }, { name: 'etc/os-release', content: DEBIAN_OS_RELEASE }])];
}

function assertDebianKmod(facts: Awaited<ReturnType<typeof loadImage>>['facts']): void {
  assert.equal(facts.osRelease?.ID, 'debian');
  const m = facts.modprobe;
  assert.ok(m !== null, 'modprobe found');
  assert.equal(m.binary.path, '/sbin/modprobe');
  assert.deepEqual(m.binary.chain, ['/sbin/modprobe', '/bin/kmod']);
  assert.equal(m.implementation, 'kmod');
  assert.equal(m.version, '30');
  assert.equal(m.featureLine, '+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL');
  assert.deepEqual(m.userspace, { zstd: true, xz: true, gzip: false });
  assert.equal(m.inKernelFallback, false);
  assert.equal(m.binary.arch, 'amd64');
  assert.equal(m.binary.isStatic, false);
  assert.deepEqual(
    m.binary.needed?.map((n) => [n.soname, n.found !== null]),
    [
      ['libzstd.so.1', true],
      ['liblzma.so.5', true],
      ['libcrypto.so.3', true],
      ['libc.so.6', true],
    ],
  );
  assert.equal(facts.platform?.architecture, 'amd64');
}

for (const comp of ['none', 'gzip', 'zstd', 'xz'] as const satisfies readonly LayerCompression[]) {
  void test(`OCI layout with ${comp} layers of the real Debian kmod 30: modprobe, feature line, libraries`, async (t) => {
    const layers = await kmodLayers();
    if (!need(t, layers !== null, 'Debian kmod/libc fixtures')) return;
    const dir = writeOciLayout(path.join(tempDir(t), 'layout'), [{ layers: layers!, compression: comp }]);
    const img = await loadImage(dir);
    assert.equal(img.format, 'oci-layout');
    assert.equal(img.layers, layers!.length);
    assertDebianKmod(img.facts);
  });
}

void test('docker save tarball (layers before manifest.json) and an OCI archive give the same facts', async (t) => {
  const layers = await kmodLayers();
  if (!need(t, layers !== null, 'Debian kmod/libc fixtures')) return;
  const dir = tempDir(t);
  const save = await writeDockerSave(path.join(dir, 'kmod.tar'), { layers: layers! });
  const a = await loadImage(save);
  assert.equal(a.format, 'docker-archive');
  assertDebianKmod(a.facts);
  const arch = await writeOciArchive(path.join(dir, 'kmod-oci.tar'), dir, [{ layers: layers!, compression: 'zstd' }]);
  const b = await loadImage(arch);
  assert.equal(b.format, 'oci-archive');
  assertDebianKmod(b.facts);
});

void test('a plain rootfs tarball and a rootfs directory are images too (platform from the ELF headers)', async (t) => {
  const layers = await kmodLayers();
  if (!need(t, layers !== null, 'Debian kmod/libc fixtures')) return;
  const dir = tempDir(t);
  // One tar holding all packages' trees, as `docker export` gives.
  const rootTar = path.join(dir, 'rootfs.tar');
  const { execFileSync } = await import('node:child_process');
  const parts = layers!.map((l, i) => {
    const p = path.join(dir, `part${i}.tar`);
    fs.writeFileSync(p, l);
    return p;
  });
  fs.copyFileSync(parts[0]!, rootTar);
  execFileSync('tar', ['-A', '-f', rootTar, ...parts.slice(1)]);
  const r = await loadImage(rootTar);
  assert.equal(r.format, 'rootfs-tar');
  assertDebianKmod(r.facts);
  // The same tree as a directory: extracted by tar(1) here only to build the fixture.
  const rootDir = path.join(dir, 'rootfs');
  fs.mkdirSync(rootDir);
  execFileSync('tar', ['--ignore-zeros', '-xf', rootTar, '-C', rootDir]);
  const d = await loadImage(rootDir);
  assert.equal(d.format, 'rootfs-dir');
  assertDebianKmod(d.facts);
  // Round trip: the directory tarred again by the helper reads the same.
  const again = await loadImage(await tarDirectory(rootDir, path.join(dir, 'again.tar')));
  assert.equal(again.facts.modprobe?.featureLine, r.facts.modprobe?.featureLine);
});

void test('whiteouts, opaque dirs, hard links and absolute symlinks resolve inside the image', async (t) => {
  const dir = tempDir(t);
  // hand-made: layer semantics no Debian package exercises.
  const lower = await packTar([
    { name: 'etc/', type: 'directory' },
    { name: 'etc/os-release', content: 'ID=lower\n' },
    { name: 'opt/', type: 'directory' },
    { name: 'opt/a', content: 'a' },
    { name: 'opt/b', content: 'b' },
    { name: 'gone', content: 'x' },
  ]);
  const upper = await packTar([
    { name: 'opt/', type: 'directory' },
    { name: 'opt/.wh..wh..opq', content: '' },
    { name: 'opt/c', content: 'c' },
    { name: '.wh.gone', content: '' },
    { name: 'etc/os-release', content: 'ID=upper\n' },
    { name: 'usr/lib/os-release', type: 'link', linkname: 'etc/os-release' },
    { name: 'abs', type: 'symlink', linkname: '/etc/os-release' },
    { name: 'escape', type: 'symlink', linkname: '/../../../../etc/os-release' },
  ]);
  const img = await loadImage(writeOciLayout(path.join(dir, 'l'), [{ layers: [lower, upper], compression: ['gzip', 'xz'] }]));
  assert.deepEqual(img.fs.readdir('/opt'), ['c']);
  assert.equal(img.fs.lstat('/gone'), undefined);
  assert.equal(img.facts.osRelease?.ID, 'upper');
  assert.equal(img.fs.readFile('/abs').toString(), 'ID=upper\n');
  assert.equal(img.fs.readFile('/escape').toString(), 'ID=upper\n', '.. in an absolute link stops at the image root');
});

void test('multi-platform index: --platform picks the manifest; an absent platform names the ones present', async (t) => {
  const dir = tempDir(t);
  // hand-made: tiny per-platform layers (only the selection is under test).
  const amd = await packTar([{ name: 'etc/os-release', content: 'ID=amd\n' }]);
  const arm = await packTar([{ name: 'etc/os-release', content: 'ID=arm\n' }]);
  const layout = writeOciLayout(path.join(dir, 'multi'), [
    { layers: [amd], architecture: 'amd64' },
    { layers: [arm], architecture: 'arm64', variant: 'v8' },
  ]);
  assert.equal((await loadImage(layout, { platform: 'linux/arm64' })).facts.osRelease?.ID, 'arm');
  assert.equal((await loadImage(layout, { platform: 'linux/amd64' })).facts.osRelease?.ID, 'amd');
  assert.equal((await loadImage(layout, { platform: 'linux/arm64' })).facts.platform?.architecture, 'arm64');
  await assert.rejects(loadImage(layout, { platform: 'linux/s390x' }), /no manifest for platform linux\/s390x.*linux\/amd64, linux\/arm64\/v8/);
});

void test('an empty layer (tar end marker only) in a docker-save tarball is a layer, not a missing one', async (t) => {
  const dir = tempDir(t);
  // hand-made: the 1024 zero bytes Docker stores for a step that changes no file.
  const layer = await packTar([{ name: 'etc/os-release', content: 'ID=empty-layer-test\n' }]);
  const img = await loadImage(await writeDockerSave(path.join(dir, 's.tar'), { layers: [layer, Buffer.alloc(1024)] }));
  assert.equal(img.layers, 2);
  assert.equal(img.facts.osRelease?.ID, 'empty-layer-test');
});

void test('entries under a usrmerged /bin -> usr/bin land in /usr/bin; a parent path through a file is one error line', async (t) => {
  const dir = tempDir(t);
  // hand-made: merged-/usr base layer, then a layer written with the unmerged names.
  const base = await packTar([
    { name: 'usr/', type: 'directory' },
    { name: 'usr/bin/', type: 'directory' },
    { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
  ]);
  const upper = await packTar([{ name: 'bin/tool', content: '#!/bin/sh\n', mode: 0o755 }]);
  const img = await loadImage(writeOciLayout(path.join(dir, 'm'), [{ layers: [base, upper] }]));
  assert.equal(img.fs.lstat('/bin')?.kind, 'symlink');
  assert.equal(img.fs.lstat('/usr/bin/tool')?.kind, 'file');
  const bad = await packTar([{ name: 'file', content: 'x' }, { name: 'file/inside', content: 'y' }]);
  await assert.rejects(loadImage(writeOciLayout(path.join(dir, 'b'), [{ layers: [bad] }])), /: \/file\/inside: not a directory$/);
});
