import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitCmdline } from '../../../src/facts/kernel/parse-cmdline.ts';

test('kernel command line words: quotes group spaces and are removed, as the kernel parser does', () => {
  assert.deepEqual(splitCmdline('BOOT_IMAGE=/vmlinuz root=UUID=abc ro  quiet\n'), ['BOOT_IMAGE=/vmlinuz', 'root=UUID=abc', 'ro', 'quiet']);
  assert.deepEqual(splitCmdline('dyndbg="file foo.c +p" "a b" x'), ['dyndbg=file foo.c +p', 'a b', 'x']);
  assert.deepEqual(splitCmdline("single='quotes are plain'"), ["single='quotes", "are", "plain'"]);
  assert.deepEqual(splitCmdline('init=/sbin/init -- --arg'), ['init=/sbin/init', '--', '--arg']);
  assert.deepEqual(splitCmdline('unterminated="a b'), ['unterminated=a b']);
  assert.deepEqual(splitCmdline(''), []);
});

test('splitCmdline never throws, and joining plain words gives them back (property)', () => {
  const word = fc.stringMatching(/^[a-zA-Z0-9_.,=/:+-]{1,12}$/);
  fc.assert(
    fc.property(fc.array(word, { maxLength: 20 }), (words) => {
      assert.deepEqual(splitCmdline(words.join(' ') + '\n'), words);
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      for (const w of splitCmdline(s)) assert.ok(!w.includes('"'));
    }),
  );
});
