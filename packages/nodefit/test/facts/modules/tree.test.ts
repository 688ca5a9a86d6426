import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectFacts } from '../../../src/facts/collect.ts';
import { collectModuleTreeDir, collectModules } from '../../../src/facts/modules/collect.ts';
import { walkHostModuleDir } from '../../../src/facts/modules/walk-module-tree.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { fixtureManifest, need } from '../../helpers/fixtures.ts';
import type { ModuleFacts } from '../../../src/facts/modules/schema.ts';

type TreeKey = 'kernel-6.1' | 'kernel-6.12';

function tree(key: TreeKey): { root: string; release: string; dir: string } | null {
  const t = fixtureManifest()?.trees[key];
  if (t === undefined) return null;
  const dir = path.join(t.root, 'lib/modules', t.release);
  return fs.existsSync(path.join(dir, 'modules.dep')) ? { ...t, dir } : null;
}

/** What find(1) and the depmod/kbuild text files say, computed independently of nodefit. */
function oracle(dir: string): { count: number; suffixes: Set<string>; orderLines: number; depLines: number } {
  const out = execFileSync('find', [dir, '-name', '*.ko*', '-type', 'f'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const files = out.split('\n').filter((l) => l !== '');
  const suffixes = new Set(files.map((f) => f.slice(f.lastIndexOf('.ko'))));
  const lines = (f: string): number => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter((l) => l.trim() !== '').length;
  return { count: files.length, suffixes, orderLines: lines('modules.order'), depLines: lines('modules.dep') };
}

function checkTree(m: ModuleFacts, key: TreeKey, dir: string, compression: 'none' | 'xz'): void {
  const o = oracle(dir);
  assert.equal(m.files.state, 'known');
  if (m.files.state !== 'known' || m.order.state !== 'known' || m.deps.state !== 'known') return;
  const files = Object.values(m.files.value);
  assert.equal(files.length, o.count, `${key}: module files vs find`);
  assert.equal(m.order.value.length, o.orderLines, `${key}: modules.order`);
  assert.equal(Object.keys(m.deps.value).length, o.depLines, `${key}: modules.dep`);
  assert.deepEqual(new Set(files.map((f) => f.compression)), new Set([compression]), `${key}: compression`);
  assert.deepEqual(o.suffixes, new Set([compression === 'none' ? '.ko' : '.ko.xz']));
  // names fold '-' to '_': intel-uncore.ko → intel_uncore, and modules.dep agrees with the walk
  assert.ok(m.files.value.intel_uncore !== undefined);
  for (const name of Object.keys(m.deps.value)) assert.ok(m.files.value[name] !== undefined, `${name} in modules.dep has a file`);
  assert.equal(m.files.value.iptable_raw?.path.startsWith('kernel/net/ipv4/netfilter/iptable_raw.ko'), true);
  // real dependency and built-in facts from depmod/kbuild output
  assert.ok(m.deps.value.iptable_raw?.includes('x_tables'));
  assert.ok(m.builtin.state === 'known' && m.builtin.value.length > 100);
  assert.ok(m.builtinModinfo.state === 'known' && m.builtinModinfo.value.length > 100);
  assert.ok(m.aliases.state === 'known' && m.aliases.value['fs-overlay']?.includes('overlay'));
  assert.ok(m.softdeps.state === 'known' && m.softdeps.value.ext4 !== undefined);
}

for (const [key, compression] of [
  ['kernel-6.1', 'none'],
  ['kernel-6.12', 'xz'],
] as const) {
  test(`Debian ${key} via --modules: module count equals find and modules.order, compression ${compression}`, (t) => {
    const tr = tree(key);
    if (!need(t, tr !== null, `the unpacked ${key} tree`)) return;
    const m = collectModuleTreeDir(tr!.dir);
    checkTree(m, key, tr!.dir, compression);
    assert.equal(m.dir.state === 'known' && m.dir.value, tr!.dir);
    assert.match(m.loaded.state === 'unknown' ? m.loaded.reason : '', /module tree of .* only/);
  });

  test(`Debian ${key} as an offline root (collectFacts): the same module facts, /proc and /sys unknown as offline`, (t) => {
    const tr = tree(key);
    if (!need(t, tr !== null, `the unpacked ${key} tree`)) return;
    const facts = collectFacts(new RootFs(tr!.root), { offline: true, release: tr!.release });
    checkTree(facts.modules, key, tr!.dir, compression);
    assert.equal(facts.kernel.release.state === 'known' && facts.kernel.release.value, tr!.release);
    assert.equal(facts.kernel.config.state === 'known' && facts.kernel.config.source, path.join(tr!.root, 'boot', `config-${tr!.release}`));
    for (const k of ['loaded', 'sysModule', 'kernelDecompression', 'modulesDisabled', 'lockdown', 'sigEnforce'] as const) {
      const f = facts.modules[k];
      assert.match(f.state === 'unknown' ? f.reason : '', /^offline target \(.*\): not a running system, so nodefit does not read its /, k);
    }
    assert.equal(facts.os.arch.state === 'known' && facts.os.arch.value, 'x86_64');
  });
}

test('the HostFs walk (archives, memory trees) lists the same modules as the real-directory walk', (t) => {
  const tr = tree('kernel-6.12');
  if (!need(t, tr !== null, 'the unpacked kernel-6.12 tree')) return;
  const real = collectModuleTreeDir(tr!.dir);
  const mem = new MemoryFs('copy of kernel-6.12 names');
  const rel = execFileSync('find', ['.', '-name', '*.ko*'], { cwd: tr!.dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  for (const p of rel.split('\n').filter((l) => l !== '')) mem.addFile(`/lib/modules/x/${p.slice(2)}`, Buffer.alloc(0));
  mem.addSymlink('/lib/modules/x/build', '/usr/src/linux-headers-x');
  mem.addFile('/usr/src/linux-headers-x/should-not-count.ko', Buffer.alloc(0));
  const walked = walkHostModuleDir(mem, '/lib/modules/x');
  assert.equal(real.files.state, 'known');
  assert.equal(walked.length, real.files.state === 'known' ? Object.keys(real.files.value).length : -1);
});

test('a module tree without depmod output: files known, indexes unknown naming the missing file', () => {
  // hand-made: modules copied without running depmod
  const m = new MemoryFs('no depmod');
  m.addFile('/lib/modules/6.9.0-x/kernel/net/netfilter/nf-tables.ko.zst', Buffer.alloc(0));
  m.addFile('/lib/modules/6.9.0-x/kernel/fs/overlay.ko.gz', Buffer.alloc(0));
  const f = collectModules({ fs: m, release: '6.9.0-x', offline: true });
  assert.deepEqual(f.files.state === 'known' && f.files.value, {
    nf_tables: { path: 'kernel/net/netfilter/nf-tables.ko.zst', compression: 'zstd' },
    overlay: { path: 'kernel/fs/overlay.ko.gz', compression: 'gzip' },
  });
  assert.match(f.deps.state === 'unknown' ? f.deps.reason : '', /modules\.dep is absent: depmod has not been run/);
});

test('hostile module trees: a directory as modules.dep, malformed lines, a huge sparse modules.alias', (t) => {
  const root = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'nodefit-mod-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'kernel'), { recursive: true });
  fs.writeFileSync(path.join(root, 'kernel/a.ko'), '');
  fs.mkdirSync(path.join(root, 'modules.dep'));
  fs.writeFileSync(path.join(root, 'modules.order'), 'kernel/a.ko\n');
  const fd = fs.openSync(path.join(root, 'modules.alias'), 'w');
  fs.ftruncateSync(fd, 1024 * 1024 * 1024);
  fs.closeSync(fd);
  const before = process.memoryUsage().rss;
  const m = collectModuleTreeDir(root);
  assert.ok(process.memoryUsage().rss - before < 128 * 1024 * 1024, 'memory stays bounded');
  assert.match(m.deps.state === 'unknown' ? m.deps.reason : '', /is a directory/);
  assert.match(m.aliases.state === 'unknown' ? m.aliases.reason : '', /more than/);
  assert.deepEqual(m.order.state === 'known' && m.order.value, ['a']);
  fs.rmdirSync(path.join(root, 'modules.dep'));
  fs.writeFileSync(path.join(root, 'modules.dep'), 'kernel/a.ko:\nthis line has no colon\n\nkernel/b c.ko: kernel/a.ko\n');
  const m2 = collectModuleTreeDir(root);
  assert.deepEqual(m2.deps.state === 'known' && m2.deps.value, { a: [] });
  assert.match(m2.deps.state === 'known' ? m2.deps.source : '', /2 malformed lines ignored/);
});
