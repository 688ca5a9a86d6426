import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { collectModules } from '../../../src/facts/modules/collect.ts';
import { cmdlineModprobeBlacklist, isModprobeConfName, orderModprobeFiles, parseModprobeConfig } from '../../../src/facts/modules/parse-modprobe-conf.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { need, tempDir } from '../../helpers/fixtures.ts';

test('modprobe.d: same file name in /etc hides /lib; files are read in name order across directories (kmod rules)', () => {
  const order = orderModprobeFiles([
    { dir: '/etc/modprobe.d', names: ['blacklist.conf', 'z.conf', '.hidden.conf', 'notes.txt'] },
    { dir: '/run/modprobe.d', names: [] },
    { dir: '/usr/lib/modprobe.d', names: ['a.conf', 'blacklist.conf', 'legacy.alias'] },
    { dir: '/lib/modprobe.d', names: ['a.conf', 'b.conf'] },
  ]);
  assert.deepEqual(order, ['/usr/lib/modprobe.d/a.conf', '/lib/modprobe.d/b.conf', '/etc/modprobe.d/blacklist.conf', '/usr/lib/modprobe.d/legacy.alias', '/etc/modprobe.d/z.conf']);
  assert.equal(isModprobeConfName('.conf'), false);
  assert.equal(isModprobeConfName('x.conf.dpkg-old'), false);
});

test('blacklist, install overrides (first one wins), options accumulate, continuation lines, command-line blacklist', () => {
  // hand-made: what Bottlerocket writes for allowed=false (install <m> /bin/true) plus a typical blacklist file
  const cfg = parseModprobeConfig(
    [
      { path: '/etc/modprobe.d/a.conf', text: 'blacklist nf-tables\ninstall ip_tables /bin/true\noptions nf_conntrack hashsize=1024\n# comment\n  indented ignored\nbogus line\n' },
      { path: '/lib/modprobe.d/b.conf', text: 'install ip-tables /bin/false\noptions nf-conntrack \\\n expect_hashsize=64\nblacklist\ninstall onlyname\n' },
    ],
    ['floppy'],
  );
  assert.deepEqual(cfg, {
    files: ['/etc/modprobe.d/a.conf', '/lib/modprobe.d/b.conf'],
    blacklist: ['nf_tables', 'floppy'],
    install: { ip_tables: '/bin/true' },
    options: { nf_conntrack: 'hashsize=1024 expect_hashsize=64' },
  });
  assert.deepEqual(cmdlineModprobeBlacklist(['quiet', 'modprobe.blacklist=a,b-c,', 'modprobe.blacklist=d']), ['a', 'b-c', 'd']);
});

test('parseModprobeConfig never throws, and rendered blacklist/install lines parse back (property)', () => {
  const name = fc.stringMatching(/^[a-z0-9_]{1,10}$/);
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      parseModprobeConfig([{ path: '/x.conf', text: s }]);
    }),
  );
  fc.assert(
    fc.property(fc.uniqueArray(name, { maxLength: 10 }), fc.dictionary(name, fc.constantFrom('/bin/true', '/bin/false', '/sbin/modprobe --ignore-install x'), { maxKeys: 10 }), (bl, inst) => {
      const text = bl.map((b) => `blacklist ${b}`).join('\n') + '\n' + Object.entries(inst).map(([m, c]) => `install ${m} ${c}`).join('\n') + '\n';
      const cfg = parseModprobeConfig([{ path: '/x.conf', text }]);
      assert.deepEqual(cfg.blacklist, bl);
      assert.deepEqual(cfg.install, { ...inst });
    }),
  );
});

test('collectModules reads modprobe.d from a --root tree with kmod precedence; a directory named *.conf is skipped', (t) => {
  const root = tempDir(t);
  const w = (p: string, s: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), s);
  };
  w('etc/modprobe.d/cilium.conf', 'install iptable_raw /bin/true\n');
  w('usr/lib/modprobe.d/cilium.conf', 'blacklist iptable_raw\n');
  w('lib/modprobe.d/zz.conf', 'blacklist floppy\n');
  fs.mkdirSync(path.join(root, 'run/modprobe.d/dir.conf'), { recursive: true });
  const m = collectModules({ fs: new RootFs(root), release: undefined, offline: true });
  assert.equal(m.modprobe.state, 'known');
  if (m.modprobe.state !== 'known') return;
  assert.deepEqual(m.modprobe.value.files, [path.join(root, 'etc/modprobe.d/cilium.conf'), path.join(root, 'lib/modprobe.d/zz.conf')]);
  assert.deepEqual(m.modprobe.value.install, { iptable_raw: '/bin/true' });
  assert.deepEqual(m.modprobe.value.blacklist, ['floppy']);
});

test('a kernel package tree without modprobe.d: modprobe facts unknown, not an empty (and wrong) configuration', () => {
  const m = collectModules({ fs: new MemoryFs('pkg'), release: '6.1.0-x', offline: true });
  assert.equal(m.modprobe.state, 'unknown');
});

test('live host: module facts say why they are missing (CONFIG_MODULES unset here), /sys/module is listed', (t) => {
  if (!need(t, process.platform === 'linux' && fs.existsSync('/proc/version'), 'a Linux /proc')) return;
  const release = fs.readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  const m = collectModules({ fs: new RootFs('/'), release, offline: false });
  const hasTree = fs.existsSync(`/lib/modules/${release}`) || fs.existsSync(`/usr/lib/modules/${release}`);
  if (hasTree) {
    assert.equal(m.dir.state, 'known');
  } else {
    assert.equal(m.dir.state, 'unknown');
    assert.ok(m.dir.state === 'unknown' && m.dir.tried.includes(`/lib/modules/${release}`));
    const configGz = fs.existsSync('/proc/config.gz');
    if (configGz && !fs.existsSync('/proc/modules')) {
      assert.match(m.dir.state === 'unknown' ? m.dir.reason : '', /CONFIG_MODULES is not set in \/proc\/config\.gz/);
    }
  }
  assert.equal(m.sysModule.state, fs.existsSync('/sys/module') ? 'known' : 'unknown');
  assert.equal(m.loaded.state, fs.existsSync('/proc/modules') ? 'known' : 'unknown');
  assert.equal(m.kernelDecompression.state === 'known' && m.kernelDecompression.value === null, !fs.existsSync('/sys/module/compression') && fs.existsSync('/sys/module'));
});

test('live facts from a hand-made host: lockdown integrity, sig_enforce, modules_disabled, kernel decompression', () => {
  // hand-made: the files as a Bottlerocket 1.20 node shows them (incidents.md case 1)
  const h = new MemoryFs('node');
  h.addFile('/proc/modules', Buffer.from('overlay 151552 10 - Live 0xffffffffc0000000\n'));
  h.addFile('/sys/module/compression', Buffer.from('gzip\n'));
  h.addFile('/sys/module/module/parameters/sig_enforce', Buffer.from('N\n'));
  h.addFile('/sys/kernel/security/lockdown', Buffer.from('none [integrity] confidentiality\n'));
  h.addFile('/proc/sys/kernel/modules_disabled', Buffer.from('0\n'));
  h.addFile('/lib/modules/6.1.90/kernel/net/ipv4/netfilter/iptable_raw.ko.gz', Buffer.alloc(0));
  const m = collectModules({ fs: h, release: '6.1.90', offline: false });
  assert.deepEqual(m.kernelDecompression, { state: 'known', value: 'gzip', source: '/sys/module/compression' });
  assert.equal(m.lockdown.state === 'known' && m.lockdown.value, 'integrity');
  assert.equal(m.sigEnforce.state === 'known' && m.sigEnforce.value, false);
  assert.equal(m.modulesDisabled.state === 'known' && m.modulesDisabled.value, false);
  assert.deepEqual(m.sysModule.state === 'known' && m.sysModule.value, ['compression', 'module']);
  assert.equal(m.loaded.state === 'known' && m.loaded.value.overlay?.refcount, 10);
  assert.equal(m.files.state === 'known' && m.files.value.iptable_raw?.compression, 'gzip');
  assert.equal(m.modprobe.state, 'known');
});
