// Layers and archives read piece by piece: whatever the read size or the split of a blob's bytes, the entries, kept
// contents and both digests are those of the whole blob, for every compression; damaged layers fail with one line.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';

import { scanArchive } from '../../src/image/archive-scan.ts';
import { parseLayer } from '../../src/image/layer-reader.ts';
import type { ParsedLayer } from '../../src/image/layer-entries.ts';
import { UserError } from '../../src/cli/user-error.ts';
import { need, tempDir } from '../helpers/fixtures.ts';
import { compress, debLayer, packTar, sha256, writeDockerSave, writeOciArchive, type LayerCompression } from '../helpers/image-builder.ts';

/** hand-made: one of each entry kind the image reader treats differently (kept whole, head only, links, whiteouts). */
async function sampleLayer(): Promise<Buffer> {
  return packTar([
    { name: 'sbin/', type: 'directory' },
    { name: 'sbin/modprobe', content: Buffer.alloc(9000, 0x6b), mode: 0o755 },
    { name: 'usr/bin/tool', content: Buffer.alloc(7000, 0x74), mode: 0o755 },
    { name: 'usr/share/doc/readme', content: 'not kept\n'.repeat(300) },
    { name: 'bin', type: 'symlink', linkname: 'usr/bin' },
    { name: 'usr/bin/tool2', type: 'link', linkname: 'usr/bin/tool' },
    { name: 'etc/.wh.gone', content: '' },
    { name: 'var/.wh..wh..opq', content: '' },
    { name: 'etc/os-release', content: 'ID=debian\n' },
  ]);
}

/** Splits a buffer at the given (sorted, deduplicated) offsets. */
function split(buf: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, buf.length]) {
    out.push(buf.subarray(prev, c));
    prev = c;
  }
  return out;
}

void test('a layer split anywhere reads as the whole blob: entries, kept bytes and digests, for every compression', async () => {
  const tar = await sampleLayer();
  for (const how of ['none', 'gzip', 'zstd', 'xz'] as LayerCompression[]) {
    const blob = compress(tar, how);
    const whole = await parseLayer([blob], 'layer');
    assert.equal(whole.rawDigest, sha256(blob), how);
    assert.equal(whole.diffId, sha256(tar), how);
    const modprobe = whole.entries.find((e) => e.path === '/sbin/modprobe');
    assert.equal(modprobe?.kind === 'file' ? modprobe.data?.length : -1, 9000);
    const tool = whole.entries.find((e) => e.path === '/usr/bin/tool');
    assert.equal(tool?.kind === 'file' ? tool.head?.length : -1, 4096);
    assert.deepEqual(
      whole.entries.filter((e) => e.kind === 'whiteout' || e.kind === 'opaque').map((e) => `${e.kind} ${e.path}`),
      ['whiteout /etc/gone', 'opaque /var'],
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), async (cuts) => {
        // the reader may be handed views of one reused buffer: give it copies that are wiped after each write
        const pieces = split(blob, cuts).map((p) => Buffer.from(p));
        function* wiped(): Generator<Buffer> {
          for (const p of pieces) {
            yield p;
            p.fill(0xee);
          }
        }
        const got = await parseLayer(wiped(), 'layer');
        assert.deepEqual(got, whole);
      }),
      { numRuns: how === 'none' ? 80 : 15 },
    );
  }
});

void test('a damaged or cut layer fails with one line naming it, or reads as the members before a clean cut', async () => {
  const tar = await sampleLayer();
  await fc.assert(
    fc.asyncProperty(fc.nat(tar.length), fc.option(fc.tuple(fc.nat(tar.length - 1), fc.integer({ min: 0, max: 255 }))), async (cut, flip) => {
      const blob = Buffer.from(tar.subarray(0, cut));
      if (flip !== null && flip[0] < blob.length) blob[flip[0]] = flip[1];
      try {
        await parseLayer([blob], 'layer 1 sha256:ab');
      } catch (e) {
        assert.ok(e instanceof UserError, String(e));
        assert.match(e.message, /^layer 1 sha256:ab: (layer is truncated|not a readable tar layer|tar entry)/);
        assert.ok(!e.message.includes('\n'));
      }
    }),
    { numRuns: 200 },
  );
  await assert.rejects(parseLayer([tar.subarray(0, 700)], 'layer 1'), /^UserError: layer 1: layer is truncated/);
  const empty: ParsedLayer = await parseLayer([], 'layer');
  assert.deepEqual(empty.entries, []);
  assert.equal(empty.rawDigest, sha256(Buffer.alloc(0)));
});

function summary(scan: Awaited<ReturnType<typeof scanArchive>>): unknown {
  return {
    json: [...scan.json].map(([k, v]) => [k, v.toString('hex')]),
    layers: [...scan.layers].map(([k, l]) => [k, l.rawDigest, l.diffId, l.entries]),
    rootfs: scan.rootfs,
    names: [...scan.names],
  };
}

void test('an archive read in chunks of any size gives the same documents, layers and digests', async (t) => {
  const dir = tempDir(t);
  const tar = await sampleLayer();
  const other = await packTar([{ name: 'etc/hostname', content: 'box\n' }]);
  const save = await writeDockerSave(path.join(dir, 'save.tar'), { layers: [tar, other, tar], compression: ['none', 'gzip', 'zstd'] });
  const oci = await writeOciArchive(path.join(dir, 'oci.tar'), dir, [{ layers: [tar, other], compression: ['xz', 'none'] }]);
  for (const file of [save, oci]) {
    const whole = summary(await scanArchive(file, 'img'));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1500 }), async (readBytes) => {
        assert.deepEqual(summary(await scanArchive(file, 'img', readBytes)), whole);
      }),
      { numRuns: 25 },
    );
  }
});

void test('a real Debian layer in a docker-save archive reads the same at odd read sizes', async (t) => {
  const kmod = debLayer('kmod');
  if (!need(t, kmod !== null, 'kmod .deb fixture')) return;
  const file = await writeDockerSave(path.join(tempDir(t), 'save.tar'), { layers: [kmod!] });
  const whole = summary(await scanArchive(file, 'img'));
  for (const readBytes of [4099, 65_543, 1_000_003]) assert.deepEqual(summary(await scanArchive(file, 'img', readBytes)), whole);
  assert.equal(fs.statSync(file).size > 65_543, true);
});
