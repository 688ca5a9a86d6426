import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectKernel } from '../../../src/facts/kernel/collect.ts';
import { collectModules } from '../../../src/facts/modules/collect.ts';
import { collectOs } from '../../../src/facts/os/collect.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { tempDir } from '../../helpers/fixtures.ts';

test('a --root tree made of symlink loops gives unknown facts from every collector, never an exception', (t) => {
  // hand-made: every path the collectors look at loops (a -> b -> a), as a hostile or broken image could
  const root = tempDir(t);
  const loop = (p: string): void => {
    const abs = path.join(root, p);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.symlinkSync(`/${p}.other`, abs);
    fs.symlinkSync(`/${p}`, `${abs}.other`);
  };
  for (const p of ['etc/os-release', 'usr/lib/os-release', 'lib/modules', 'usr/lib/modules', 'boot', 'etc/modprobe.d', 'usr/lib/modprobe.d', 'bin/sh', 'proc', 'sys']) loop(p);
  const rootFs = new RootFs(root);
  const ctx = { fs: rootFs, release: undefined, offline: false };
  const k = collectKernel(ctx);
  assert.equal(k.release.state, 'unknown');
  assert.equal(k.config.state, 'unknown');
  const os = collectOs(ctx);
  assert.equal(os.release.state, 'unknown');
  assert.match(os.release.state === 'unknown' ? os.release.reason : '', /too many levels of symbolic links/);
  const m = collectModules({ ...ctx, release: '6.1.0-x' });
  assert.equal(m.dir.state, 'unknown');
  assert.equal(m.sysModule.state, 'unknown');
  assert.equal(m.modprobe.state, 'known');
  assert.deepEqual(m.modprobe.state === 'known' && m.modprobe.value.files, []);
});

test('a module directory holding a symlink loop and a link out of the tree: walk stays inside and finishes', (t) => {
  const root = tempDir(t);
  const dir = path.join(root, 'lib/modules/6.1.0-x');
  fs.mkdirSync(path.join(dir, 'kernel/fs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel/fs/overlay.ko.zst'), '');
  fs.symlinkSync('/lib/modules/6.1.0-x', path.join(dir, 'kernel/self'));
  fs.symlinkSync('/usr/src/linux-headers-6.1.0-x', path.join(dir, 'build'));
  fs.symlinkSync('/', path.join(dir, 'kernel/escape'));
  const m = collectModules({ fs: new RootFs(root), release: '6.1.0-x', offline: true });
  assert.deepEqual(m.files.state === 'known' && m.files.value, { overlay: { path: 'kernel/fs/overlay.ko.zst', compression: 'zstd' } });
});
