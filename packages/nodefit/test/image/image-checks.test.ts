// The cross-check verdicts for tools no fixture package provides (kmod >= 33, BusyBox >= 1.37, kmod >= 34 dlopen,
// a kernel without legacy xtables). hand-made: ImageFacts written out by hand, only the judged fields filled in.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { evaluate } from '../../src/engine/evaluate.ts';
import type { Finding } from '../../src/engine/report.ts';
import type { HostFacts } from '../../src/facts/snapshot.ts';
import { known } from '../../src/facts/fact.ts';
import type { ImageFacts, ModprobeFacts } from '../../src/image/image-facts.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';
import { imageFacts } from '../helpers/image-facts.ts';
import { snapshotOf } from '../kb/support.ts';

function modprobe(m: Partial<ModprobeFacts>): ModprobeFacts {
  return {
    binary: { path: '/usr/sbin/modprobe', chain: ['/usr/sbin/modprobe', '/usr/bin/kmod'], realPath: '/usr/bin/kmod', kind: 'elf', arch: 'amd64', isStatic: false },
    implementation: 'kmod',
    version: '33',
    featureLine: '+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL',
    userspace: { zstd: true, xz: true, gzip: false },
    notes: [],
    inKernelFallback: true,
    ...m,
  };
}

const image = imageFacts;

function gzipHost(kernel: 'gzip' | 'zstd' | null): HostFacts {
  return factsBuilder()
    .withArch('x86_64')
    .withModules(['kernel/net/ipv4/netfilter/iptable_raw.ko.gz', 'kernel/net/ipv4/netfilter/ip_tables.ko.gz', 'kernel/net/netfilter/x_tables.ko.gz'])
    .withKernelDecompression(kernel)
    .build();
}

function finding(facts: HostFacts, img: ImageFacts, id: string, workloads = ['cilium']): Finding {
  const f = evaluate(snapshotOf(facts, 'root'), { image: img, workloads }).findings.find((x) => x.checkId === id);
  assert.ok(f !== undefined, `no ${id} finding`);
  return f;
}

void test('kmod 33 without zlib loads .ko.gz when the kernel decompresses gzip itself, not otherwise', () => {
  const img = image({ modprobe: modprobe({}) });
  const ok = finding(gzipHost('gzip'), img, 'image-modprobe-compression');
  assert.equal(ok.outcome, 'pass', ok.message);
  assert.match(ok.message, /hands them to the kernel, which decompresses gzip/);
  const bad = finding(gzipHost('zstd'), img, 'image-modprobe-compression');
  assert.equal(bad.outcome, 'fail');
});

void test('kmod 30 on a host whose kernel decompresses gzip: fail, with the hint that kmod >= 33 would work', () => {
  const f = finding(gzipHost('gzip'), image({ modprobe: modprobe({ version: '30', inKernelFallback: false }) }), 'image-modprobe-compression');
  assert.equal(f.outcome, 'fail');
  assert.match(f.message, /kmod >= 33 or BusyBox >= 1\.37 in the image would load them/);
});

void test('kmod 34 built +ZLIB but without libz.so.1 in the image cannot read .ko.gz (dlopen)', () => {
  const mp = modprobe({ version: '34', featureLine: '+ZSTD +XZ +ZLIB +LIBCRYPTO -EXPERIMENTAL', userspace: { zstd: true, xz: true, gzip: false }, notes: ['kmod dlopen()s libz.so.1 for gzip modules, and the image has no libz.so.1'] });
  const f = finding(gzipHost(null), image({ modprobe: mp }), 'image-modprobe-compression');
  assert.equal(f.outcome, 'fail');
  assert.ok(f.evidence.some((e) => /dlopen\(\)s libz\.so\.1/.test(e.value)));
});

void test('no modprobe in the image: not applicable', () => {
  assert.equal(finding(gzipHost(null), image({}), 'image-modprobe-compression').outcome, 'not-applicable');
});

const iptables = (mode: 'legacy' | 'nft' | 'wrapper', backendsPresent: ('legacy' | 'nft')[] = ['legacy', 'nft']) => ({
  binary: { path: '/sbin/iptables', chain: ['/sbin/iptables', `/sbin/${mode === 'wrapper' ? 'iptables-wrapper' : `xtables-${mode}-multi`}`], realPath: '/sbin/x', kind: 'elf' as const },
  mode,
  wrapperFiles: [],
  wrapperNotInstalled: false,
  backendsPresent,
});

void test('legacy-wired image on a kernel without legacy xtables fails; nft image there passes', () => {
  // A 6.12-style config with legacy xtables compiled out and nf_tables in.
  const host = factsBuilder()
    .withArch('x86_64')
    .withConfig({ MODULES: 'y', NETFILTER_XTABLES_LEGACY: 'n', IP_NF_IPTABLES_LEGACY: 'n', IP_NF_IPTABLES: 'y', NF_TABLES: 'y', NF_TABLES_IPV4: 'y', NF_TABLES_IPV6: 'y', NFT_COMPAT: 'y', NETFILTER_XTABLES: 'y' }, { headerVersion: '6.12.0' })
    .withNfTablesActive(true)
    .withLegacyTables([])
    .build();
  const legacy = finding(host, image({ iptables: iptables('legacy') }), 'image-iptables-backend', []);
  assert.equal(legacy.outcome, 'fail', legacy.message);
  const nft = finding(host, image({ iptables: iptables('nft') }), 'image-iptables-backend', []);
  assert.equal(nft.outcome, 'pass', nft.message);
});

void test('antrea#7755: a wrapper script that takes legacy on a tie warns on a kernel without legacy xtables and a host without iptables', () => {
  // hand-made host: a Talos 1.12-like 6.18 kernel (legacy xtables compiled out) with nf_tables in use and no iptables
  // binary on the host for kubelet to create KUBE-IPTABLES-HINT and its rules with
  const host = factsBuilder()
    .withArch('x86_64')
    .withConfig({ MODULES: 'y', NETFILTER_XTABLES_LEGACY: 'n', NF_TABLES: 'y', NF_TABLES_IPV4: 'y', NF_TABLES_IPV6: 'y', NFT_COMPAT: 'y', NETFILTER_XTABLES: 'y' }, { headerVersion: '6.18.2' })
    .withNfTablesActive(true)
    .withLegacyTables([])
    .build();
  const tieLegacy = finding(host, image({ iptables: { ...iptables('wrapper'), wrapperUndecided: 'legacy' as const } }), 'image-iptables-backend', []);
  assert.equal(tieLegacy.outcome, 'warn', tieLegacy.message);
  assert.match(tieLegacy.message, /compares rule counts with -ge \(legacy on a tie\).*can't initialize iptables table/);
  // the v2 script (-gt) and the Go wrapper take nft there
  assert.equal(finding(host, image({ iptables: { ...iptables('wrapper'), wrapperUndecided: 'nft' as const } }), 'image-iptables-backend', []).outcome, 'pass');
  // with an iptables-nft on the host, kubelet's rules steer even the -ge script to nft
  const nftBinary = known({ path: '/usr/sbin/iptables', chain: ['/usr/sbin/iptables', '/usr/sbin/xtables-nft-multi'], kind: 'nft' as const }, '/usr/sbin/iptables');
  const withBinary = factsBuilder().withArch('x86_64').withConfig({ MODULES: 'y', NETFILTER_XTABLES_LEGACY: 'n', NF_TABLES: 'y', NF_TABLES_IPV4: 'y', NF_TABLES_IPV6: 'y', NFT_COMPAT: 'y', NETFILTER_XTABLES: 'y' }, { headerVersion: '6.18.2' }).withNfTablesActive(true).withLegacyTables([]).with('netfilter', 'iptables', nftBinary).build();
  assert.equal(finding(withBinary, image({ iptables: { ...iptables('wrapper'), wrapperUndecided: 'legacy' as const } }), 'image-iptables-backend', []).outcome, 'pass');
});

void test('a wrapper image without the host backend (Alpine 3.19 split iptables-legacy) fails on a legacy host', () => {
  const host = factsBuilder().withArch('x86_64').withLegacyTables(['filter', 'nat']).build();
  const f = finding(host, image({ iptables: iptables('wrapper', ['nft']) }), 'image-iptables-backend', []);
  assert.equal(f.outcome, 'fail');
  assert.match(f.message, /will pick legacy.*no legacy backend/);
});
