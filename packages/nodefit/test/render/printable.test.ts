// printable() guards the terminal against untrusted snapshot text: no control character may survive it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { printable } from '../../src/render/common.ts';

test('escapes newlines, tabs and control characters and keeps everything else', () => {
  assert.equal(printable('plain text, ünïcode ✓'), 'plain text, ünïcode ✓');
  assert.equal(printable('a\nb\tc\u001b[31md\u007f\u0085'), 'a\\nb c\\x1b[31md\\x7f\\x85');
});

// eslint-disable-next-line no-control-regex -- the characters under test
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

test('output never holds a C0/C1 control character and clean text passes through unchanged (property)', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
      const out = printable(s);
      assert.ok(!CONTROL.test(out));
      if (!CONTROL.test(s)) assert.equal(out, s);
    }),
  );
});
