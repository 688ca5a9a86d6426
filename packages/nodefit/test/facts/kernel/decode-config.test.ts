import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { decodeConfig } from '../../../src/facts/kernel/decode-config.ts';

test('decodeConfig never throws on any bytes, and gzip of any text decodes back to it (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
      const d = decodeConfig(Buffer.from(b));
      if (!d.ok) assert.ok(d.problem.length > 0 && !d.problem.includes('\n'));
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }).filter((s) => !s.includes('\0')), (s) => {
      const d = decodeConfig(zlib.gzipSync(Buffer.from(s)));
      assert.deepEqual(d, { ok: true, text: s, gzip: true });
    }),
  );
});

test('every truncation of a gzip config is reported as a problem, never thrown', () => {
  const gz = zlib.gzipSync(Buffer.from('CONFIG_MODULES=y\n# CONFIG_IKCONFIG is not set\n'.repeat(50)));
  for (let n = 2; n < gz.length; n++) {
    const d = decodeConfig(gz.subarray(0, n));
    assert.equal(d.ok, false, `cut at ${n}`);
  }
});

test('xz and zstd configs are named, not misread as text', () => {
  const x = decodeConfig(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2]));
  assert.match(x.ok ? '' : x.problem, /xz-compressed/);
  const z = decodeConfig(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]));
  assert.match(z.ok ? '' : z.problem, /zstd/);
});
