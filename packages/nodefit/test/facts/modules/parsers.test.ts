import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldModuleName, moduleFileKind, moduleNameFromPath } from '../../../src/facts/modules/module-name.ts';
import { parseBuiltinModinfo, parseModuleList, parseModulesAlias, parseModulesSoftdep } from '../../../src/facts/modules/parse-module-indexes.ts';
import { parseModulesDep } from '../../../src/facts/modules/parse-modules-dep.ts';
import { parseFlag, parseKernelDecompression, parseLockdown, parseProcModules } from '../../../src/facts/modules/parse-proc-modules.ts';

test('module names and compression come from the file name; dashes fold to underscores', () => {
  assert.deepEqual(moduleFileKind('nf-tables.ko.zst'), { stem: 'nf-tables', compression: 'zstd' });
  assert.deepEqual(moduleFileKind('a.ko.gz'), { stem: 'a', compression: 'gzip' });
  assert.deepEqual(moduleFileKind('a.ko.xz'), { stem: 'a', compression: 'xz' });
  assert.deepEqual(moduleFileKind('a.ko'), { stem: 'a', compression: 'none' });
  assert.equal(moduleFileKind('modules.dep'), undefined);
  assert.equal(moduleFileKind('.ko'), undefined);
  assert.equal(moduleFileKind('a.ko.bz2'), undefined);
  assert.equal(moduleNameFromPath('kernel/arch/x86/events/intel/intel-uncore.ko.xz'), 'intel_uncore');
});

test('modules.dep: dependencies by name, first line wins for a duplicate name, malformed lines counted', () => {
  // hand-made: an updates/ override listed before the in-tree module, as depmod orders them
  const d = parseModulesDep(
    'updates/dkms/nf-tables.ko: kernel/net/netfilter/nfnetlink.ko\nkernel/net/netfilter/nf_tables.ko.xz: kernel/x.ko\nkernel/net/netfilter/nfnetlink.ko:\nno colon here\n: empty path\n',
  );
  assert.deepEqual(d.deps, { nf_tables: ['nfnetlink'], nfnetlink: [] });
  assert.deepEqual(d.paths, new Map([['nf_tables', 'updates/dkms/nf-tables.ko'], ['nfnetlink', 'kernel/net/netfilter/nfnetlink.ko']]));
  assert.equal(d.malformedLines, 2);
});

test('modules.alias keeps literal aliases only; softdep pre/post; modinfo names; order list', () => {
  const a = parseModulesAlias('# Aliases extracted from modules themselves.\nalias fs-overlay overlay\nalias pci:v00008086d*sv*sd*bc*sc*i* e1000e\nalias net-pf-10 ipv6\nalias net-pf-10 ipv6\nalias crypto-crc32c crc32c-intel\nalias broken\n');
  assert.deepEqual(a, { 'fs-overlay': ['overlay'], 'net-pf-10': ['ipv6'], 'crypto-crc32c': ['crc32c_intel'] });
  assert.deepEqual(parseModulesSoftdep('# comment\nsoftdep ext4 pre: crypto-crc32c\nsoftdep ext4 pre: other\nsoftdep nf-conntrack ignored post: a b pre: c\n'), {
    ext4: { pre: ['crypto_crc32c'], post: [] },
    nf_conntrack: { pre: ['c'], post: ['a', 'b'] },
  });
  assert.deepEqual(parseBuiltinModinfo(Buffer.from('ext4.license=GPL\0ext4.file=fs/ext4/ext4\0intel-uncore.description=x\0garbage\0=x\0')), ['ext4', 'intel_uncore']);
  assert.deepEqual(parseModuleList('kernel/fs/ext4/ext4.ko\nkernel/fs/ext4/ext4.ko\n\nkernel/arch/x86/events/intel/intel-uncore.ko\n'), ['ext4', 'intel_uncore']);
});

test('/proc/modules lines, lockdown, /sys/module/compression and flags', () => {
  const text = 'nf_tables 286720 3 nft_chain_nat,nft_compat, Live 0xffffffffc0a2d000\nip_tables 32768 - - Live 0x0000000000000000 (E)\nbroken line\nx notanumber 1 - Live 0\n';
  assert.deepEqual(parseProcModules(text), {
    nf_tables: { size: 286720, refcount: 3, usedBy: ['nft_chain_nat', 'nft_compat'], state: 'Live' },
    ip_tables: { size: 32768, refcount: -1, usedBy: [], state: 'Live' },
  });
  assert.equal(parseLockdown('none [integrity] confidentiality\n'), 'integrity');
  assert.equal(parseLockdown('[none] integrity confidentiality\n'), 'none');
  assert.equal(parseLockdown('weird'), undefined);
  assert.equal(parseKernelDecompression('zstd\n'), 'zstd');
  assert.equal(parseKernelDecompression('lz4\n'), undefined);
  assert.equal(parseFlag('Y\n'), true);
  assert.equal(parseFlag('0\n'), false);
  assert.equal(parseFlag('maybe'), undefined);
});

const modPath = fc
  .tuple(fc.array(fc.stringMatching(/^[a-z0-9_]{1,8}$/), { minLength: 1, maxLength: 4 }), fc.stringMatching(/^[a-z0-9_-]{1,12}$/), fc.constantFrom('.ko', '.ko.gz', '.ko.xz', '.ko.zst'))
  .map(([dirs, stem, ext]) => `${dirs.join('/')}/${stem}${ext}`);

test('index parsers never throw on any text (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      parseModulesDep(s);
      parseModuleList(s);
      parseModulesAlias(s);
      parseModulesSoftdep(s);
      parseBuiltinModinfo(s);
      parseProcModules(s);
      parseLockdown(s);
      parseFlag(s);
      moduleNameFromPath(s);
    }),
  );
});

test('modules.dep round-trips: rendering deps and re-parsing gives them back (property)', () => {
  fc.assert(
    fc.property(fc.uniqueArray(modPath, { maxLength: 30, selector: moduleNameFromPath }), fc.array(fc.nat(), { maxLength: 60 }), (paths, picks) => {
      const deps = new Map<string, string[]>();
      paths.forEach((p, i) => deps.set(p, picks.slice(i, i + 3).map((k) => paths[k % paths.length] as string)));
      const text = [...deps].map(([p, ds]) => `${p}: ${ds.join(' ')}`).join('\n') + '\n';
      const parsed = parseModulesDep(text);
      assert.equal(parsed.malformedLines, 0);
      for (const [p, ds] of deps) assert.deepEqual(parsed.deps[moduleNameFromPath(p)], ds.map(moduleNameFromPath));
      assert.equal(Object.keys(parsed.deps).length, paths.length);
    }),
  );
});

test('folding is idempotent and leaves no dash (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 30 }), (s) => {
      const f = foldModuleName(s);
      assert.equal(foldModuleName(f), f);
      assert.ok(!f.includes('-'));
    }),
  );
});
