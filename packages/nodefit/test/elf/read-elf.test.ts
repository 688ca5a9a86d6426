// The hand-written ELF reader on real Debian binaries (dynamic kmod, static busybox, qemu for other machines), and
// fuzzed: any bytes give a result or undefined, never an exception.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import { machineToArch, readElf } from '../../src/elf/read-elf.ts';
import { printableStrings } from '../helpers/printable-strings.ts';
import { need } from '../helpers/fixtures.ts';
import { debLayer, debLayerFiltered } from '../helpers/image-builder.ts';
import * as tarStream from 'tar-stream';

/** One file out of a fixture .deb, read in memory. */
async function debFile(key: string, name: string): Promise<Buffer | null> {
  const tar = debLayer(key);
  if (tar === null) return null;
  const ex = tarStream.extract();
  ex.end(tar);
  let found: Buffer | null = null;
  for await (const e of ex) {
    const chunks: Buffer[] = [];
    for await (const c of e as AsyncIterable<Buffer>) chunks.push(c);
    if (e.header.name === name) found = Buffer.concat(chunks);
  }
  return found;
}

void test('Debian kmod 30: dynamic amd64 PIE with its NEEDED list, interpreter and sections', async (t) => {
  const kmod = await debFile('kmod', './bin/kmod');
  if (!need(t, kmod !== null, 'Debian kmod .deb')) return;
  const e = readElf(kmod!)!;
  assert.equal(e.bits, 64);
  assert.equal(e.endian, 'le');
  assert.equal(e.arch, 'amd64');
  assert.equal(e.type, 3);
  assert.equal(e.interp, '/lib64/ld-linux-x86-64.so.2');
  assert.deepEqual(e.needed, ['libzstd.so.1', 'liblzma.so.5', 'libcrypto.so.3', 'libc.so.6']);
  assert.equal(e.isStatic, false);
  assert.equal(e.truncated, false);
  assert.ok(e.sections.some((s) => s.name === '.dynamic'));
  assert.deepEqual(e.dlopen, [], 'kmod 30 predates .note.dlopen');
  assert.ok(printableStrings(kmod!).includes('+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL'));
  // Only the first page (what the image reader keeps of most executables) still gives arch and interpreter.
  const head = readElf(kmod!.subarray(0, 4096))!;
  assert.equal(head.arch, 'amd64');
  assert.equal(head.interp, '/lib64/ld-linux-x86-64.so.2');
  assert.equal(head.truncated, true);
});

void test('Debian busybox-static is static; libc6 has a SONAME', async (t) => {
  const bb = await debFile('busybox-static', './bin/busybox');
  if (!need(t, bb !== null, 'Debian busybox-static .deb')) return;
  const e = readElf(bb!)!;
  assert.equal(e.isStatic, true);
  assert.equal(e.interp, null);
  assert.deepEqual(e.needed, []);
  const libz = await debFile('zlib1g', './lib/x86_64-linux-gnu/libz.so.1.2.13');
  if (libz !== null) assert.equal(readElf(libz)!.soname, 'libz.so.1');
});

void test('qemu-user-static binaries run on amd64 (their ELF header), whatever they emulate', async (t) => {
  const layer = await debLayerFiltered('qemu-user-static', (n) => n === './usr/bin/qemu-aarch64-static');
  if (!need(t, layer !== null, 'Debian qemu-user-static .deb')) return;
  const ex = tarStream.extract();
  ex.end(layer!);
  for await (const e of ex) {
    const chunks: Buffer[] = [];
    for await (const c of e as AsyncIterable<Buffer>) chunks.push(c);
    const info = readElf(Buffer.concat(chunks))!;
    assert.equal(info.arch, 'amd64');
    assert.equal(info.isStatic, true);
  }
});

void test('machine numbers map to OCI architecture names, class and byte order included', () => {
  assert.equal(machineToArch(183, 64, 'le'), 'arm64');
  assert.equal(machineToArch(21, 64, 'le'), 'ppc64le');
  assert.equal(machineToArch(21, 64, 'be'), 'ppc64');
  assert.equal(machineToArch(8, 64, 'le'), 'mips64le');
  assert.equal(machineToArch(22, 64, 'be'), 's390x');
  assert.equal(machineToArch(243, 64, 'le'), 'riscv64');
});

/** hand-made: a minimal ELF64 with one PT_INTERP and a .note.dlopen section, as kmod >= 34 builds carry. */
function syntheticElf(notes: string): Buffer {
  const interp = Buffer.from('/lib/ld-musl-aarch64.so.1\0');
  const owner = Buffer.from('FDO\0');
  const desc = Buffer.from(notes + '\0');
  const pad = (n: number) => (n + 3) & ~3;
  const note = Buffer.alloc(12 + pad(owner.length) + pad(desc.length));
  note.writeUInt32LE(owner.length, 0);
  note.writeUInt32LE(desc.length, 4);
  note.writeUInt32LE(0x407c0c0a, 8);
  owner.copy(note, 12);
  desc.copy(note, 12 + pad(owner.length));
  const shstr = Buffer.from('\0.note.dlopen\0.shstrtab\0');
  const phoff = 64;
  const interpOff = phoff + 56;
  const noteOff = interpOff + interp.length;
  const shstrOff = noteOff + note.length;
  const shoff = shstrOff + shstr.length;
  const b = Buffer.alloc(shoff + 3 * 64);
  b.write('\x7fELF', 0, 'latin1');
  b[4] = 2;
  b[5] = 1;
  b[6] = 1;
  b.writeUInt16LE(3, 16);
  b.writeUInt16LE(183, 18);
  b.writeBigUInt64LE(BigInt(phoff), 32);
  b.writeBigUInt64LE(BigInt(shoff), 40);
  b.writeUInt16LE(56, 54);
  b.writeUInt16LE(1, 56);
  b.writeUInt16LE(64, 58);
  b.writeUInt16LE(3, 60);
  b.writeUInt16LE(2, 62);
  b.writeUInt32LE(3, phoff); // PT_INTERP
  b.writeBigUInt64LE(BigInt(interpOff), phoff + 8);
  b.writeBigUInt64LE(BigInt(interp.length), phoff + 32);
  interp.copy(b, interpOff);
  note.copy(b, noteOff);
  shstr.copy(b, shstrOff);
  const sh = (i: number, name: number, type: number, off: number, size: number) => {
    const o = shoff + i * 64;
    b.writeUInt32LE(name, o);
    b.writeUInt32LE(type, o + 4);
    b.writeBigUInt64LE(BigInt(off), o + 24);
    b.writeBigUInt64LE(BigInt(size), o + 32);
  };
  sh(1, 1, 7, noteOff, note.length);
  sh(2, 14, 3, shstrOff, shstr.length);
  return b;
}

void test('.note.dlopen entries (kmod >= 34) are read with their sonames', () => {
  const e = readElf(syntheticElf('[{"feature":"zlib","description":"Support for uncompressing zlib-compressed modules","priority":"recommended","soname":["libz.so.1"]},{"feature":"xz","soname":["liblzma.so.5"]}]'))!;
  assert.equal(e.arch, 'arm64');
  assert.equal(e.interp, '/lib/ld-musl-aarch64.so.1');
  assert.deepEqual(
    e.dlopen.map((d) => [d.feature, d.soname]),
    [
      ['zlib', ['libz.so.1']],
      ['xz', ['liblzma.so.5']],
    ],
  );
  assert.deepEqual(readElf(syntheticElf('not json'))!.dlopen, []);
});

void test('fuzz: random bytes, and real headers with random tails or corruption, never throw', () => {
  const base = syntheticElf('[{"feature":"zstd","soname":["libzstd.so.1"]}]');
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
      readElf(bytes);
      printableStrings(bytes);
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 24 }), fc.nat(base.length), (muts, cut) => {
      const b = Buffer.from(base);
      for (const [i, v] of muts) b[i] = v;
      const r = readElf(b.subarray(0, cut));
      if (r !== undefined) assert.ok(Array.isArray(r.needed) && Array.isArray(r.sections));
    }),
    { numRuns: 3000 },
  );
});
