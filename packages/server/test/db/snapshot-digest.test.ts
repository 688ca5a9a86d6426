// The digest taken from uploaded bytes must equal the digest of the body as stored, or resends stop being duplicates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { digestOf, digestOfUpload } from '../../src/db/snapshot-digest.ts';

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

test('any uploaded bytes: the digest equals the digest of the text the server stores', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      assert.equal(digestOfUpload(bytes, decode(bytes)), digestOf(decode(bytes)));
    }),
  );
});

test('any text sent as UTF-8, with or without a byte-order mark: the same digest as the stored text', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.boolean(), (text, bom) => {
      const bytes = new TextEncoder().encode(bom ? `\uFEFF${text}` : text);
      assert.equal(digestOfUpload(bytes, decode(bytes)), digestOf(text));
    }),
  );
});

test('invalid UTF-8 (replaced on decoding) is digested as the replaced text', () => {
  const bytes = Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]);
  assert.equal(digestOfUpload(bytes, decode(bytes)), digestOf('{\uFFFD\uFFFD}'));
});
