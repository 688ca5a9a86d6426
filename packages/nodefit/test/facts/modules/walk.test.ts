// The module-tree walk and the choice between two files of one name: which paths are listed, in which order, and who wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectModuleTreeDir, collectModules } from '../../../src/facts/modules/collect.ts';
import { walkHostModuleDir, walkRealModuleDir } from '../../../src/facts/modules/walk-module-tree.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import fc from 'fast-check';
import { tempDir } from '../../helpers/fixtures.ts';

// hand-made: override and duplicate layouts that real Debian trees do not carry (dkms updates/, extra/, weak links)
const FILES = [
  'kernel/net/nf-tables.ko.xz',
  'updates/dkms/nf_tables.ko',
  'kernel/fs/y.ko',
  'extra/y.ko.zst',
  'kernel/a/z-z.ko',
  'updates/z_z.ko.gz',
  'kernel/a-b/q.ko',
  'kernel/a/r.ko',
  'kernel/123.ko',
  'kernel/weird/README',
  'kernel/weird/x.ko.bz2',
  'kernel/weird/.ko',
  'modules.order',
];

function makeTree(t: Parameters<typeof tempDir>[0]): string {
  const dir = path.join(tempDir(t), '9.9.9-x');
  for (const f of FILES) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), '');
  }
  // build/ as a real directory is still never entered; a symlinked directory is not followed; a symlinked file is listed
  fs.mkdirSync(path.join(dir, 'build/x'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'build/x/in-build.ko'), '');
  fs.symlinkSync('kernel/a', path.join(dir, 'linked-dir'));
  fs.mkdirSync(path.join(dir, 'weak-updates'));
  fs.symlinkSync('../kernel/a/r.ko', path.join(dir, 'weak-updates/w.ko'));
  // depmod chose the in-tree z-z over updates/ (as a depmod.d override would)
  fs.writeFileSync(path.join(dir, 'modules.dep'), 'kernel/a/z-z.ko:\nupdates/dkms/nf_tables.ko:\n');
  return dir;
}

const LISTED = [
  'extra/y.ko.zst',
  'kernel/123.ko',
  'kernel/a-b/q.ko',
  'kernel/a/r.ko',
  'kernel/a/z-z.ko',
  'kernel/fs/y.ko',
  'kernel/net/nf-tables.ko.xz',
  'updates/dkms/nf_tables.ko',
  'updates/z_z.ko.gz',
  'weak-updates/w.ko',
];

test('the real-directory walk lists module files only, sorted by path, outside build/ and symlinked directories', (t) => {
  const dir = makeTree(t);
  assert.deepEqual(walkRealModuleDir(dir), LISTED);
});

test('the HostFs walk gives the same sorted list for the same tree', () => {
  const mem = new MemoryFs('hand-made tree');
  for (const f of [...FILES, 'weak-updates/w.ko']) mem.addFile(`/lib/modules/x/${f}`, Buffer.alloc(0));
  mem.addSymlink('/lib/modules/x/build', '/usr/src/x');
  mem.addFile('/usr/src/x/in-build.ko', Buffer.alloc(0));
  assert.deepEqual(walkHostModuleDir(mem, '/lib/modules/x'), LISTED);
});

test('two files with one name: depmod’s choice wins, else updates/, else the first path; names keep path order', (t) => {
  const dir = makeTree(t);
  const m = collectModuleTreeDir(dir);
  assert.equal(m.files.state, 'known');
  const files = m.files.state === 'known' ? m.files.value : {};
  // integer-like names come first in any JavaScript object; the rest in the order of their first path
  assert.deepEqual(Object.entries(files), [
    ['123', { path: 'kernel/123.ko', compression: 'none' }],
    ['y', { path: 'extra/y.ko.zst', compression: 'zstd' }],
    ['q', { path: 'kernel/a-b/q.ko', compression: 'none' }],
    ['r', { path: 'kernel/a/r.ko', compression: 'none' }],
    ['z_z', { path: 'kernel/a/z-z.ko', compression: 'none' }],
    ['nf_tables', { path: 'updates/dkms/nf_tables.ko', compression: 'none' }],
    ['w', { path: 'weak-updates/w.ko', compression: 'none' }],
  ]);
});

test('without modules.dep, updates/ wins over kernel/ and the first path wins otherwise', () => {
  // hand-made: modules copied without running depmod
  const mem = new MemoryFs('no depmod');
  for (const f of ['kernel/a/x.ko', 'updates/x.ko.xz', 'updates/b/x.ko', 'extra/y.ko', 'kernel/y.ko']) mem.addFile(`/lib/modules/9.9-x/${f}`, Buffer.alloc(0));
  const f = collectModules({ fs: mem, release: '9.9-x', offline: true });
  assert.deepEqual(f.files.state === 'known' && f.files.value, {
    x: { path: 'updates/b/x.ko', compression: 'none' },
    y: { path: 'extra/y.ko', compression: 'none' },
  });
});

test('the walk lists a random tree exactly as a full listing sorted afterwards (property)', (t) => {
  // names around the '/' rank: "x" beside "x-y", "x.y", "x+", digits, case, and names beyond ASCII
  const seg = fc.constantFrom('a', 'a-b', 'a.b', 'a+', 'a_b', 'b', 'B', '10', '9', 'é', 'ü-x', '\u{1F600}', 'ｘ');
  const file = fc.tuple(fc.array(seg, { minLength: 0, maxLength: 3 }), seg, fc.constantFrom('.ko', '.ko.xz', '.ko.zst', '.txt', ''));
  const base = tempDir(t);
  let run = 0;
  fc.assert(
    fc.property(fc.array(file, { maxLength: 25 }), (files) => {
      const dir = path.join(base, String(run++));
      const want = new Set<string>();
      for (const [dirs, stem, ext] of files) {
        const rel = [...dirs, stem + ext].join('/');
        const abs = path.join(dir, rel);
        try {
          fs.mkdirSync(path.dirname(abs), { recursive: true });
          fs.writeFileSync(abs, '');
        } catch {
          continue; // a name already taken by a directory (or the other way round)
        }
        if (ext.startsWith('.ko')) want.add(rel);
      }
      fs.mkdirSync(dir, { recursive: true });
      const listed = walkRealModuleDir(dir);
      assert.deepEqual(listed, [...want].filter((p) => fs.statSync(path.join(dir, p)).isFile()).sort());
    }),
    { numRuns: 150 },
  );
});
