// RPM lead and headers: the signature header's 8-byte padding, rpm's own sanity limits, and headers that lie.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseRpmHeaderIntro, readRpmLayout, readRpmStringTags, RPM_MAX_DATA, RPM_MAX_TAGS } from '../../src/archive/rpm.ts';
import { ArchiveError } from '../../src/archive/archive-error.ts';
import { tempDir } from '../helpers/fixtures.ts';

/** hand-made: a header structure (intro, index, data) with string tags, as rpm's headerExport writes it. */
export function rpmHeader(tags: ReadonlyArray<[number, string]>, lie?: { indexCount?: number; dataSize?: number }): Buffer {
  const data: Buffer[] = [];
  const index: Buffer[] = [];
  let off = 0;
  for (const [tag, value] of tags) {
    const e = Buffer.alloc(16);
    e.writeUInt32BE(tag, 0);
    e.writeUInt32BE(6, 4);
    e.writeInt32BE(off, 8);
    e.writeUInt32BE(1, 12);
    index.push(e);
    const v = Buffer.from(value + '\0');
    data.push(v);
    off += v.length;
  }
  const intro = Buffer.from([0x8e, 0xad, 0xe8, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  intro.writeUInt32BE(lie?.indexCount ?? tags.length, 8);
  intro.writeUInt32BE(lie?.dataSize ?? off, 12);
  return Buffer.concat([intro, ...index, ...data]);
}

/** hand-made: lead + signature header (padded to 8) + main header + payload. */
export function buildRpm(payload: Buffer, opts: { sigTags?: ReadonlyArray<[number, string]>; lie?: { indexCount?: number; dataSize?: number } } = {}): Buffer {
  const lead = Buffer.alloc(96);
  Buffer.from([0xed, 0xab, 0xee, 0xdb, 3, 0]).copy(lead);
  lead.writeUInt16BE(5, 78); // signature type: header-style
  const sig = rpmHeader(opts.sigTags ?? [[1000, 'sig']]);
  const pad = Buffer.alloc((8 - ((96 + sig.length) % 8)) % 8);
  const main = rpmHeader(
    [
      [1000, 'kernel-core'],
      [1001, '6.12.0'],
      [1002, '1.fc41'],
      [1124, 'cpio'],
      [1125, 'xz'],
    ],
    opts.lie,
  );
  return Buffer.concat([lead, sig, pad, main, payload]);
}

test('layout: payload starts after the signature header padded to 8 bytes and the main header', (t) => {
  const dir = tempDir(t);
  // signature data of odd length forces padding
  for (const sigValue of ['a', 'ab', 'abc', 'abcdefg']) {
    const payload = Buffer.from('PAYLOAD');
    const file = path.join(dir, `k-${sigValue}.rpm`);
    fs.writeFileSync(file, buildRpm(payload, { sigTags: [[1000, sigValue]] }));
    const l = readRpmLayout(file);
    assert.equal(fs.readFileSync(file).subarray(l.payloadOffset).toString(), 'PAYLOAD');
    assert.equal(l.name, 'kernel-core');
    assert.equal(l.version, '6.12.0');
    assert.equal(l.release, '1.fc41');
    assert.equal(l.compressor, 'xz');
    assert.equal(l.format, 'cpio');
  }
});

test('headers that lie about their index count or data size are refused with one line', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'liar.rpm');
  fs.writeFileSync(file, buildRpm(Buffer.from('x'), { lie: { indexCount: 5000 } }));
  assert.throws(() => readRpmLayout(file), (e: unknown) => e instanceof ArchiveError && /liar\.rpm: rpm header claims \d+ bytes but the file ends/.test(e.message));
  fs.writeFileSync(file, buildRpm(Buffer.from('x'), { lie: { indexCount: 0x1000000 } }));
  assert.throws(() => readRpmLayout(file), /claims 16777216 index entries \(rpm allows 1 to 65535\)/);
  fs.writeFileSync(file, buildRpm(Buffer.from('x'), { lie: { dataSize: 0x7fffffff } }));
  assert.throws(() => readRpmLayout(file), /claims 2147483647 bytes of data \(rpm allows at most 268435456\)/);
  fs.writeFileSync(file, Buffer.from('not an rpm at all'));
  assert.throws(() => readRpmLayout(file), /not an RPM package/);
  fs.writeFileSync(file, buildRpm(Buffer.alloc(0)).subarray(0, 120));
  assert.throws(() => readRpmLayout(file), /liar\.rpm: rpm (signature header|header)/);
});

test('header intro parser: accepts exactly what fits rpm limits and the file, else ArchiveError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.nat(1 << 30), fc.boolean(), (b, fileSize, magic) => {
      const buf = Buffer.from(b);
      if (magic) Buffer.from([0x8e, 0xad, 0xe8, 0x01]).copy(buf);
      try {
        const h = parseRpmHeaderIntro(buf, 0, fileSize, 'f.rpm', 'header');
        assert.ok(h.indexCount >= 1 && h.indexCount <= RPM_MAX_TAGS);
        assert.ok(h.dataSize <= RPM_MAX_DATA);
        assert.ok(h.totalSize <= fileSize);
      } catch (e) {
        assert.ok(e instanceof ArchiveError, String(e));
      }
    }),
  );
});

test('string tags never read outside the header, whatever the index says', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 30 }), fc.nat(500), (body, indexCount, dataSize) => {
      const tags = readRpmStringTags(Buffer.from(body), { indexCount, dataSize, totalSize: 16 + indexCount * 16 + dataSize }, [1000, 1001]);
      for (const v of tags.values()) assert.equal(typeof v, 'string');
    }),
  );
});
