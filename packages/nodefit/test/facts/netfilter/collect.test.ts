import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { collectNetfilter } from '../../../src/facts/netfilter/collect.ts';
import { NETFILTER_SYSCTLS } from '../../../src/facts/netfilter/sysctl-key.ts';
import { modulesBuiltinHas, parseTableNames, procModulesHas } from '../../../src/facts/netfilter/parse-proc-tables.ts';
import { NetfilterFacts } from '../../../src/facts/netfilter/schema.ts';
import { known, unknown } from '../../../src/facts/fact.ts';
import type { KernelFacts } from '../../../src/facts/kernel/schema.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';

const noKernel: KernelFacts = {
  release: unknown([], 'test'),
  version: unknown([], 'test'),
  cmdline: unknown([], 'test'),
  config: unknown([], 'test'),
};

test("a scan of this machine matches its /proc: legacy tables, br_netfilter, sysctls, nft", () => {
  const f = collectNetfilter({ fs: new RootFs('/'), release: undefined, offline: false });
  NetfilterFacts.parse(f);
  for (const [fact, file] of [
    [f.legacyTablesV4, '/proc/1/net/ip_tables_names'],
    [f.legacyTablesV6, '/proc/1/net/ip6_tables_names'],
  ] as const) {
    const expected = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : [];
    assert.deepEqual(fact.state === 'known' && fact.value, expected);
  }
  assert.equal(f.brNetfilter.state === 'known' && f.brNetfilter.value, fs.existsSync('/proc/sys/net/bridge'));
  assert.equal(f.sysctls.state, 'known');
  for (const name of NETFILTER_SYSCTLS) {
    const p = `/proc/sys/${name.replace(/\./g, '/')}`;
    const got: string | null | undefined = f.sysctls.state === 'known' ? f.sysctls.value[name] : undefined;
    // a key this machine does not have is recorded as read and absent
    assert.equal(got, fs.existsSync(p) ? fs.readFileSync(p, 'utf8').trim() : null, name);
  }
  const nft = ['/usr/local/sbin/nft', '/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft', '/bin/nft'].find((p) => fs.existsSync(p)) ?? null;
  assert.equal(f.nft.state === 'known' && f.nft.value, nft);
  assert.equal(f.iptables.state, fs.existsSync('/usr/sbin/iptables') ? 'known' : f.iptables.state);
});

test('nf_tables: loaded module, built in per modules.builtin or kernel config, or unknown with the reason', () => {
  const ctx = (m: MemoryFs) => ({ fs: m, release: '6.12.0-1-amd64', offline: false });
  const loaded = new MemoryFs('t');
  loaded.addFile('/proc/modules', Buffer.from('nf_tables 348160 0 - Live 0x0000000000000000\nip_tables 32768 0 - Live 0x0\n'));
  assert.deepEqual(collectNetfilter(ctx(loaded)).nfTablesActive, known(true, '/proc/modules'));
  const builtin = new MemoryFs('t');
  builtin.addFile('/proc/modules', Buffer.from('veth 40960 0 - Live 0x0\n'));
  builtin.addFile('/lib/modules/6.12.0-1-amd64/modules.builtin', Buffer.from('kernel/net/netfilter/nf_tables.ko\n'));
  const b = collectNetfilter(ctx(builtin)).nfTablesActive;
  assert.equal(b.state === 'known' && b.value, true);
  const absent = new MemoryFs('t');
  absent.addFile('/proc/modules', Buffer.from('veth 40960 0 - Live 0x0\n'));
  absent.addFile('/lib/modules/6.12.0-1-amd64/modules.builtin', Buffer.from('kernel/fs/ext4/ext4.ko\n'));
  const a = collectNetfilter(ctx(absent)).nfTablesActive;
  assert.equal(a.state === 'known' && a.value, false);
  const noModules = new MemoryFs('t');
  const u = collectNetfilter(ctx(noModules)).nfTablesActive;
  assert.equal(u.state, 'unknown');
  const withConfig: KernelFacts = { ...noKernel, config: known({ options: new Map([['NF_TABLES', 'y']]), malformedLines: 0 }, '/proc/config.gz') };
  const c = collectNetfilter(ctx(noModules), withConfig).nfTablesActive;
  assert.equal(c.state === 'known' && c.value, true);
});

test('legacy tables: absent file with procfs present means none; garbage means unknown', () => {
  const m = new MemoryFs('t');
  m.addDir('/proc/1/net');
  const none = collectNetfilter({ fs: m, release: undefined, offline: false }).legacyTablesV4;
  assert.equal(none.state === 'known' && none.value.length, 0);
  m.addFile('/proc/1/net/ip_tables_names', Buffer.from('filter\nnat\n'));
  assert.deepEqual(collectNetfilter({ fs: m, release: undefined, offline: false }).legacyTablesV4, known(['filter', 'nat'], '/proc/1/net/ip_tables_names'));
  m.addFile('/proc/1/net/ip_tables_names', Buffer.from('filter\n<garbage with spaces>\n'));
  assert.equal(collectNetfilter({ fs: m, release: undefined, offline: false }).legacyTablesV4.state, 'unknown');
  const noProc = collectNetfilter({ fs: new MemoryFs('t'), release: undefined, offline: false });
  assert.equal(noProc.legacyTablesV4.state, 'unknown');
  assert.equal(noProc.brNetfilter.state, 'unknown');
  assert.equal(noProc.sysctls.state, 'unknown');
  NetfilterFacts.parse(noProc);
});

test('offline targets: /proc, /sys and host-binary facts unknown with the offline reason', () => {
  const f = collectNetfilter({ fs: new MemoryFs('pkg'), release: '6.12', offline: true });
  for (const v of Object.values(f)) {
    assert.equal(v.state, 'unknown');
    assert.match(v.state === 'unknown' ? v.reason : '', /^offline target \(.*\): not a running system, so nodefit does not read its /);
  }
});

test('procfs list parsers never throw and keep only valid names (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      const r = parseTableNames(s);
      if (r.ok) for (const n of r.names) assert.match(n, /^[A-Za-z0-9_-]+$/);
      procModulesHas(s, 'nf_tables');
      modulesBuiltinHas(s, 'nf_tables');
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.constantFrom('filter', 'nat', 'mangle', 'raw', 'security'), { maxLength: 5 }), (names) => {
      const r = parseTableNames(names.map((n) => `${n}\n`).join(''));
      assert.ok(r.ok);
      assert.deepEqual(r.names, [...new Set(names)]);
    }),
  );
});
