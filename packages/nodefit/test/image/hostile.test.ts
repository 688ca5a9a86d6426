// Hostile and broken images: each gives one UserError line naming the input and the problem, writes nothing to disk,
// and never holds more than the limits allow in memory.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { UserError } from '../../src/cli/user-error.ts';
import { loadImage } from '../../src/image/load-image.ts';
import { tempDir } from '../helpers/fixtures.ts';
import { packTar, sha256, writeDockerSave, writeOciLayout } from '../helpers/image-builder.ts';

// This file's own temp dir: test files run in parallel and other tools share /tmp, so "nothing written" below must
// look only at what this process could have written.
const privateTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-hostile-'));
process.env.TMPDIR = privateTmp;
after(() => fs.rmSync(privateTmp, { recursive: true, force: true }));

/** Asserts a single-line UserError matching `re`, and that nothing new appeared in the temp dir or cwd. */
async function rejectsCleanly(p: Promise<unknown>, re: RegExp): Promise<void> {
  const before = new Set([...fs.readdirSync(os.tmpdir()), ...fs.readdirSync(process.cwd())]);
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof UserError, `expected UserError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    assert.match(e.message, re);
    return true;
  });
  const after = [...fs.readdirSync(os.tmpdir()), ...fs.readdirSync(process.cwd())].filter((n) => !before.has(n));
  assert.deepEqual(after, [], 'nothing written');
}

// hand-made: every layer below is crafted to be hostile; no real image ships these.
void test('a layer with ../ in an entry name is refused', async (t) => {
  const layer = await packTar([{ name: 'etc/../../../tmp/pwned', content: 'x' }]);
  const dir = writeOciLayout(path.join(tempDir(t), 'l'), [{ layers: [layer] }]);
  await rejectsCleanly(loadImage(dir), /layer 1 sha256:[0-9a-f]{64}: tar entry "etc\/\.\.\/\.\.\/\.\.\/tmp\/pwned" contains "\.\."/);
});

void test('a layer with an absolute entry name is refused', async (t) => {
  const layer = await packTar([{ name: '/etc/passwd', content: 'x' }]);
  const dir = writeOciLayout(path.join(tempDir(t), 'l'), [{ layers: [layer] }]);
  await rejectsCleanly(loadImage(dir), /tar entry "\/etc\/passwd" has an absolute path/);
});

void test('a hard link pointing outside with ../ is refused', async (t) => {
  const layer = await packTar([{ name: 'x', type: 'link', linkname: '../../etc/shadow' }]);
  await rejectsCleanly(loadImage(writeOciLayout(path.join(tempDir(t), 'l'), [{ layers: [layer] }])), /contains "\.\."/);
});

void test('a symlink loop on modprobe is named, not followed forever', async (t) => {
  const layer = await packTar([
    { name: 'sbin/', type: 'directory' },
    { name: 'sbin/modprobe', type: 'symlink', linkname: '/sbin/kmod' },
    { name: 'sbin/kmod', type: 'symlink', linkname: 'modprobe' },
  ]);
  await rejectsCleanly(loadImage(writeOciLayout(path.join(tempDir(t), 'l'), [{ layers: [layer] }])), /symlink loop at \/sbin\/modprobe/);
});

void test('a truncated layer blob is reported as truncated (digest not matching either)', async (t) => {
  const dir = tempDir(t);
  const layer = await packTar([{ name: 'etc/os-release', content: 'ID=x\n'.repeat(5000) }]);
  const layout = writeOciLayout(path.join(dir, 'l'), [{ layers: [layer], compression: 'gzip' }]);
  const blobs = path.join(layout, 'blobs', 'sha256');
  const big = fs.readdirSync(blobs).map((n) => path.join(blobs, n)).find((p) => fs.readFileSync(p)[0] === 0x1f)!;
  const data = fs.readFileSync(big);
  fs.writeFileSync(big, data.subarray(0, Math.floor(data.length / 2)));
  await rejectsCleanly(loadImage(layout), /layer 1 sha256:[0-9a-f]{64}: gzip data is truncated/);
});

void test('a truncated docker-save tarball is reported as truncated', async (t) => {
  const dir = tempDir(t);
  const layer = await packTar([{ name: 'bin/x', content: Buffer.alloc(200_000, 7) }]);
  const save = await writeDockerSave(path.join(dir, 's.tar'), { layers: [layer] });
  fs.truncateSync(save, 100_000);
  await rejectsCleanly(loadImage(save), /truncated/);
});

void test('a layer that decompresses to more than 50x its size is stopped as a decompression bomb', async (t) => {
  const dir = tempDir(t);
  // 64 MiB of zeros in one tar entry, gzip-compressed to ~64 KiB (~1000x).
  const layer = await packTar([{ name: 'zeros', content: Buffer.alloc(64 * 1024 * 1024) }]);
  const bomb = gzipSync(layer, { level: 9 });
  assert.ok(layer.length / bomb.length > 100);
  const layout = writeOciLayout(path.join(dir, 'l'), [{ layers: [layer], compression: 'none' }]);
  // Swap in the gzip blob under its own digest, fixing the manifest, so only the ratio limit can stop it.
  const blobs = path.join(layout, 'blobs', 'sha256');
  const plainDigest = sha256(layer);
  fs.rmSync(path.join(blobs, plainDigest.slice(7)));
  fs.writeFileSync(path.join(blobs, sha256(bomb).slice(7)), bomb);
  const idx = JSON.parse(fs.readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string; size: number }[] };
  const mPath = path.join(blobs, idx.manifests[0]!.digest.slice(7));
  const manifest = fs.readFileSync(mPath, 'utf8').replace(plainDigest, sha256(bomb));
  fs.rmSync(mPath);
  fs.writeFileSync(path.join(blobs, sha256(Buffer.from(manifest)).slice(7)), manifest);
  idx.manifests[0]!.digest = sha256(Buffer.from(manifest));
  idx.manifests[0]!.size = manifest.length;
  fs.writeFileSync(path.join(layout, 'index.json'), JSON.stringify(idx));
  const rssBefore = process.memoryUsage().rss;
  await rejectsCleanly(loadImage(layout), /decompresses to more than 50x its compressed size.*decompression bomb/);
  assert.ok(process.memoryUsage().rss - rssBefore < 200 * 1024 * 1024, 'memory stays bounded');
});

void test('a manifest pointing at a missing blob names the digest', async (t) => {
  const layer = await packTar([{ name: 'a', content: 'a' }]);
  const layout = writeOciLayout(path.join(tempDir(t), 'l'), [{ layers: [layer] }]);
  const missing = sha256(Buffer.from('no such layer'));
  const blobs = path.join(layout, 'blobs', 'sha256');
  const layerBlob = fs.readdirSync(blobs).find((n) => fs.readFileSync(path.join(blobs, n))[0] === 0x1f)!;
  fs.rmSync(path.join(blobs, layerBlob));
  await rejectsCleanly(loadImage(layout), new RegExp(`layer 1 points at missing blob sha256:${layerBlob}`));
  void missing;
});

void test('docker-save manifest.json naming a layer that is not in the archive is refused', async (t) => {
  const dir = tempDir(t);
  const cfg = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { diff_ids: [] } }));
  const tar = await packTar([
    { name: 'cfg.json', content: cfg },
    { name: 'manifest.json', content: JSON.stringify([{ Config: 'cfg.json', Layers: ['abc/layer.tar'] }]) },
  ]);
  fs.writeFileSync(path.join(dir, 's.tar'), tar);
  await rejectsCleanly(loadImage(path.join(dir, 's.tar')), /manifest\.json points at missing layer abc\/layer\.tar/);
});

void test('a blob whose content does not match its digest is refused (verified while streaming)', async (t) => {
  const layer = await packTar([{ name: 'a', content: 'original' }]);
  const layout = writeOciLayout(path.join(tempDir(t), 'l'), [{ layers: [layer], compression: 'none' }]);
  const blob = path.join(layout, 'blobs', 'sha256', sha256(layer).slice(7));
  const tampered = Buffer.from(layer);
  tampered.write('tampered', tampered.indexOf('original'));
  fs.writeFileSync(blob, tampered);
  await rejectsCleanly(loadImage(layout), /layer 1: digest mismatch: content hashes to sha256:[0-9a-f]{64}, the manifest says sha256:/);
});

void test('a file that is not an image at all, and a missing path, are one line each', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'junk'), 'this is not a tarball at all, just text that goes on for a while '.repeat(20));
  await rejectsCleanly(loadImage(path.join(dir, 'junk')), /junk: /);
  await rejectsCleanly(loadImage(path.join(dir, 'nope')), /nope: no such file or directory/);
});
