// /proc/swaps: the live host's real file, the kernel's format (mm/swapfile.c) by hand, and a property for any input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { parseProcSwaps } from '../../../src/facts/kernel/parse-proc-swaps.ts';
import { collectKernel } from '../../../src/facts/kernel/collect.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { need } from '../../helpers/fixtures.ts';

const HEADER = 'Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n';

test("this machine's /proc/swaps is read as the live host's swap state, area for area", (t) => {
  if (!need(t, fs.existsSync('/proc/swaps'), '/proc/swaps')) return;
  const text = fs.readFileSync('/proc/swaps', 'utf8');
  const swaps = collectKernel({ fs: new RootFs('/'), release: undefined, offline: false }).swaps;
  assert.equal(swaps?.state, 'known');
  assert.deepEqual(swaps.state === 'known' ? swaps.value : null, parseProcSwaps(text));
  assert.equal(parseProcSwaps(text).length, text.trim().split('\n').length - 1, 'one area per line after the header');
});

test('hand-made: paths with spaces come back unescaped; the header alone is swap off', () => {
  assert.deepEqual(parseProcSwaps(HEADER), []);
  assert.deepEqual(parseProcSwaps(''), []);
  assert.deepEqual(parseProcSwaps(`${HEADER}/var/swap\\040file\tfile\t\t1048572\t\t0\t\t-2\n/dev/sda2\tpartition\t2097148\t0\t-3\n`), ['/var/swap file', '/dev/sda2']);
});

test('a live host without /proc/swaps (no CONFIG_SWAP) has swap off; an offline target does not say', () => {
  const m = new MemoryFs('hand-made host');
  m.addFile('/proc/self/stat', Buffer.from('1 (init) S\n'));
  const live = collectKernel({ fs: m, release: undefined, offline: false }).swaps;
  assert.deepEqual(live?.state === 'known' ? live.value : null, []);
  const offline = collectKernel({ fs: m, release: undefined, offline: true }).swaps;
  assert.equal(offline?.state, 'unknown');
  const noProc = collectKernel({ fs: new MemoryFs('empty'), release: undefined, offline: false }).swaps;
  assert.equal(noProc?.state, 'unknown');
});

test('property: any text parses without throwing into one name per non-blank line after the header', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('/dev/sda2 partition 1 0 -2', '  ', '\\040x', 'Filename Type')), { maxLength: 6 }), fc.boolean(), (lines, header) => {
      const text = (header ? HEADER : '') + lines.join('\n');
      const areas = parseProcSwaps(text);
      const expected = text.split('\n').slice(text.startsWith('Filename') ? 1 : 0).filter((l) => /\S/.test(l)).length;
      assert.equal(areas.length, expected);
      for (const a of areas) assert.ok(a.length > 0);
    }),
  );
});
