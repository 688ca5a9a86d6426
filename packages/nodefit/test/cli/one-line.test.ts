// oneLine: text that quotes input (a parse error, a server's answer) reaches stderr and agent logs as one safe line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { oneLine } from '../../src/cli/one-line.ts';

test('newlines are shown as \\n; other line breaks, terminal controls and bidi overrides become ?', () => {
  assert.equal(oneLine('a\nb\r\nc'), 'a\\nb\\nc');
  assert.equal(oneLine('x\u0085y\u2028z\u2029w'), 'x?y?z?w');
  assert.equal(oneLine('\u001b[31mred\u009b2J'), '?[31mred?2J');
  assert.equal(oneLine('abc\u202edef\u2066g'), 'abc?def?g');
  assert.equal(oneLine('plain: /facts/kernel/swaps, ünïcödé ✓'), 'plain: /facts/kernel/swaps, ünïcödé ✓');
});

test('property: the result never holds a character that breaks or rewrites a line, and plain text is kept as it is', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      const out = oneLine(s);
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    }),
  );
  fc.assert(fc.property(fc.stringMatching(/^[ -~]{0,80}$/), (s) => assert.equal(oneLine(s), s)));
});
