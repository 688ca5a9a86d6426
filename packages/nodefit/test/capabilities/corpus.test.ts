// Real kernel configs (../shared/corpus/kernel-configs): every one derives without throwing, and spot checks whose
// expected values were read off the config files by hand (grep results quoted next to each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Capabilities, NftCell } from '../../src/capabilities/capabilities.ts';
import { deriveCapabilities } from '../../src/capabilities/derive.ts';
import { capabilityViews } from '../../src/capabilities/views.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';
import { corpusConfigs, KERNEL_CONFIGS_DIR, need } from '../helpers/fixtures.ts';

function caps(file: string, release?: string): Capabilities {
  let b = factsBuilder();
  if (release !== undefined) b = b.withRelease(release, 'corpus SOURCES.md');
  return deriveCapabilities(b.withConfigFile(path.join(KERNEL_CONFIGS_DIR, file)).build());
}

function cell(c: Capabilities, family: string, type: string, hook: string): NftCell['verdict'] {
  const cells = c.nftChains.value;
  assert.notEqual(cells, 'unknown');
  const found = (cells as readonly NftCell[]).find((x) => x.family === family && x.type === type && x.hook === hook);
  assert.ok(found !== undefined);
  return found.verdict;
}

test('every corpus config derives every capability without throwing, each with a reason', (t) => {
  const files = corpusConfigs();
  if (!need(t, files.length > 0, 'the kernel config corpus')) return;
  assert.ok(files.length >= 50, `expected the corpus configs (56 .config files today), found ${files.length}`);
  for (const f of files) {
    const c = deriveCapabilities(factsBuilder().withConfigFile(f).build());
    const views = capabilityViews(c);
    for (const [name, v] of Object.entries(views)) assert.ok(v.reason.length > 0, `${path.basename(f)} ${name}`);
    // A real config always says whether modules exist.
    assert.notEqual(c.moduleLoading.value, 'unknown', `${path.basename(f)}: ${c.moduleLoading.reason}`);
    assert.notEqual(c.iptablesLegacy.value, 'unknown', `${path.basename(f)}: ${c.iptablesLegacy.reason}`);
  }
});

test('debian13 6.12.63: "# CONFIG_CPUSETS_V1 is not set", "# CONFIG_MEMCG_V1 is not set" → no v1 cpuset/memory; xz modules', (t) => {
  if (!need(t, corpusConfigs().length > 0, 'the kernel config corpus')) return;
  const c = caps('debian13-6.12.63-1.config');
  const v1 = c.cgroupV1Controllers.value as readonly string[];
  assert.ok(!v1.includes('cpuset') && !v1.includes('memory'), c.cgroupV1Controllers.reason);
  assert.ok(v1.includes('cpu') && v1.includes('pids'));
  assert.ok((c.cgroupV2Controllers.value as readonly string[]).includes('memory'));
  // CONFIG_MODULE_COMPRESS=y, CONFIG_MODULE_COMPRESS_XZ=y, CONFIG_MODULE_COMPRESS_ALL=y, CONFIG_MODULE_DECOMPRESS=y
  assert.equal(c.moduleCompression.value, 'xz');
  assert.equal(c.inKernelDecompression.value, 'xz');
  // CONFIG_IP_NF_IPTABLES_LEGACY=m
  assert.equal(c.iptablesLegacy.value, 'available');
  assert.equal(c.binfmtClearsOnUnmount.value, true);
});

test('bottlerocket 6.1.163: MODULE_COMPRESS_GZIP=y, MODULE_DECOMPRESS not set, IP_NF_IPTABLES=y', (t) => {
  if (!need(t, corpusConfigs().length > 0, 'the kernel config corpus')) return;
  const c = caps('bottlerocket-6.1.163.config');
  assert.equal(c.moduleCompression.value, 'gzip');
  assert.equal(c.inKernelDecompression.value, 'none');
  assert.equal(c.iptablesLegacy.value, 'available');
  assert.match(c.iptablesLegacy.reason, /IP_NF_IPTABLES=y/);
  assert.equal(c.binfmtClearsOnUnmount.value, true, c.binfmtClearsOnUnmount.reason);
  // bottlerocket 6.12.73 re-enables both v1 gates: CONFIG_CPUSETS_V1=y, CONFIG_MEMCG_V1=y
  const v1 = caps('bottlerocket-6.12.73.config').cgroupV1Controllers.value as readonly string[];
  assert.ok(v1.includes('cpuset') && v1.includes('memory'));
});

test('6.18 Bottlerocket and Talos: "# CONFIG_NETFILTER_XTABLES_LEGACY is not set" → no legacy iptables', (t) => {
  if (!need(t, corpusConfigs().length > 0, 'the kernel config corpus')) return;
  for (const f of ['bottlerocket-6.18.8.config', 'talos-6.18.45.config']) {
    const c = caps(f);
    assert.equal(c.iptablesLegacy.value, 'unavailable', f);
    assert.match(c.iptablesLegacy.reason, /NETFILTER_XTABLES_LEGACY/);
    assert.equal(c.iptablesNft.value, 'available', `${f}: ${c.iptablesNft.reason}`);
  }
  // arch 6.18.7: CONFIG_NETFILTER_XTABLES_LEGACY=y, CONFIG_IP_NF_IPTABLES_LEGACY=m, zstd modules
  const arch = caps('arch-6.18.7-arch1.config');
  assert.equal(arch.iptablesLegacy.value, 'available');
  assert.equal(arch.moduleCompression.value, 'zstd');
});

test('talos 6.12.43: CPUSETS_V1=y, "# CONFIG_MEMCG_V1 is not set"; talos 5.10.75 predates the binfmt backport', (t) => {
  if (!need(t, corpusConfigs().length > 0, 'the kernel config corpus')) return;
  const v1 = caps('talos-6.12.43.config').cgroupV1Controllers.value as readonly string[];
  assert.ok(v1.includes('cpuset'));
  assert.ok(!v1.includes('memory'));
  assert.equal(caps('talos-5.10.75.config').binfmtClearsOnUnmount.value, false);
  // fedora42 6.14: CONFIG_MEMCG_V1=y, "# CONFIG_CPUSETS_V1 is not set"
  const fed = caps('fedora42-6.14.0-63.fc42.x86_64.config').cgroupV1Controllers.value as readonly string[];
  assert.ok(fed.includes('memory') && !fed.includes('cpuset'));
});

test('rhel9 5.14.0-362 (no config header, release from SOURCES.md): legacy modules built, xz from packaging, vendor binfmt unknown', (t) => {
  if (!need(t, corpusConfigs().length > 0, 'the kernel config corpus')) return;
  const c = caps('rhel9-5.14.0-362.24.1.el9_3.config', '5.14.0-362.24.1.el9_3.x86_64');
  // CONFIG_IP_NF_IPTABLES=m, CONFIG_NETFILTER_XTABLES=y, no IP_NF_IPTABLES_LEGACY line
  assert.equal(c.iptablesLegacy.value, 'available');
  // CONFIG_MODULE_COMPRESS_NONE=y, but kernel.spec compresses with xz
  assert.equal(c.moduleCompression.value, 'xz');
  assert.match(c.moduleCompression.reason, /zipmodules/);
  assert.equal(c.binfmtClearsOnUnmount.value, 'unknown');
  assert.match(c.binfmtClearsOnUnmount.reason, /RHEL-family/);
  // RHEL 10 family: IP_NF_IPTABLES_LEGACY=m in config, modules removed by the distribution
  assert.equal(caps('almalinux10-6.12.0-124.29.1.el10_1.x86_64.config').iptablesLegacy.value, 'unavailable');
});

test('debian10 4.19.249 (before 5.1/5.2): NFT_CHAIN_NAT_IPV4=m, NFT_CHAIN_ROUTE_IPV4=m; no inet nat/route, no egress', (t) => {
  if (!need(t, corpusConfigs().length > 0, 'the kernel config corpus')) return;
  const c = caps('debian10-4.19.249.config');
  assert.equal(cell(c, 'ip', 'nat', 'postrouting'), 'accepted');
  assert.equal(cell(c, 'ip6', 'nat', 'prerouting'), 'accepted');
  assert.equal(cell(c, 'ip', 'route', 'output'), 'accepted');
  assert.equal(cell(c, 'ip', 'route', 'postrouting'), 'rejected');
  assert.equal(cell(c, 'inet', 'nat', 'postrouting'), 'unsupported');
  assert.equal(cell(c, 'inet', 'route', 'output'), 'unsupported');
  assert.equal(cell(c, 'inet', 'filter', 'ingress'), 'unsupported');
  assert.equal(cell(c, 'netdev', 'filter', 'egress'), 'unsupported');
  assert.equal(cell(c, 'netdev', 'filter', 'ingress'), 'accepted');
  // x86_64 defconfig 6.12 has no NF_TABLES at all
  const def = caps('upstream-x86_64_defconfig-6.12.68.config');
  assert.equal(cell(def, 'ip', 'filter', 'input'), 'unsupported');
  assert.equal(def.iptablesNft.value, 'unavailable');
});
