// Real Debian kernel packages unpacked by scripts/fetch-fixtures.sh: module files, modules.builtin and /boot/config
// read through the real collectors, then derived. 6.1 ships plain .ko, 6.12 (bookworm-backports) .ko.xz.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { deriveCapabilities } from '../../src/capabilities/derive.ts';
import { collectFacts } from '../../src/facts/collect.ts';
import { RootFs } from '../../src/host/root-fs.ts';
import { fixtureManifest, need } from '../helpers/fixtures.ts';

function treeCaps(key: 'kernel-6.1' | 'kernel-6.12') {
  const tree = fixtureManifest()?.trees[key];
  if (tree === undefined || !fs.existsSync(tree.root)) return undefined;
  const facts = collectFacts(new RootFs(tree.root), { offline: true, release: tree.release });
  return { facts, caps: deriveCapabilities(facts) };
}

test('Debian 6.1 tree: uncompressed modules, ip_tables.ko present, binfmt from the config header', (t) => {
  const r = treeCaps('kernel-6.1');
  if (!need(t, r !== undefined, 'the unpacked Debian 6.1 kernel tree')) return;
  const { facts, caps } = r!;
  if (facts.modules.files.state !== 'known') return t.skip(`module collector not available yet: ${facts.modules.files.reason}`);
  assert.equal(caps.moduleCompression.value, 'none', caps.moduleCompression.reason);
  assert.equal(caps.iptablesLegacy.value, 'available');
  assert.match(caps.iptablesLegacy.reason, /ip_tables\.ko/);
  assert.equal(caps.iptablesNft.value, 'available', caps.iptablesNft.reason);
  assert.equal(caps.moduleLoading.value, 'available');
  if (facts.kernel.config.state === 'known') {
    // Debian's bookworm 6.1 builds are 6.1.1xx upstream (config header), after the 6.1.107 backport
    assert.equal(caps.binfmtClearsOnUnmount.value, true, caps.binfmtClearsOnUnmount.reason);
  }
});

test('Debian 6.12 tree: xz modules, in-kernel xz decompression, no v1 cpuset/memory', (t) => {
  const r = treeCaps('kernel-6.12');
  if (!need(t, r !== undefined, 'the unpacked Debian 6.12 kernel tree')) return;
  const { facts, caps } = r!;
  if (facts.modules.files.state !== 'known') return t.skip(`module collector not available yet: ${facts.modules.files.reason}`);
  assert.equal(caps.moduleCompression.value, 'xz', caps.moduleCompression.reason);
  assert.equal(caps.iptablesLegacy.value, 'available');
  if (facts.kernel.config.state === 'known') {
    assert.equal(caps.inKernelDecompression.value, 'xz');
    const v1 = caps.cgroupV1Controllers.value as readonly string[];
    assert.ok(!v1.includes('cpuset') && !v1.includes('memory'), caps.cgroupV1Controllers.reason);
  }
  assert.equal(caps.binfmtClearsOnUnmount.value, true);
});
