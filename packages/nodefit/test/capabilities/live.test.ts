// This machine, read live: kernel 6.18 without CONFIG_MODULES, cgroup v1 with cpuset and memory (docs/CONVENTIONS.md).
// Guarded by the fact states so it skips on other machines and while collectors are incomplete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveCapabilities } from '../../src/capabilities/derive.ts';
import { collectFacts } from '../../src/facts/collect.ts';
import { RootFs } from '../../src/host/root-fs.ts';
import { atLeast } from '../../src/util/kernel-version.ts';

test('live host: capabilities match what this machine is known to be', (t) => {
  const facts = collectFacts(new RootFs('/'));
  const caps = deriveCapabilities(facts);
  const rel = facts.kernel.release;
  const cfg = facts.kernel.config;
  if (rel.state !== 'known' || cfg.state !== 'known' || cfg.value.options.get('MODULES') !== 'n' || atLeast(rel.value, '6.7') !== true) {
    t.skip('not the documented CI machine (kernel >= 6.7 with CONFIG_MODULES unset) or the kernel collector cannot read it');
    return;
  }
  assert.equal(caps.moduleLoading.value, 'unavailable');
  assert.equal(caps.moduleCompression.value, 'none');
  assert.equal(caps.binfmtClearsOnUnmount.value, true);
  assert.notEqual(caps.iptablesNft.value, 'unknown');
  if (facts.cgroups.procCgroups.state === 'known') {
    const v1 = caps.cgroupV1Controllers.value as readonly string[];
    assert.ok(Array.isArray(v1));
    const listed = facts.cgroups.procCgroups.value.filter((l) => l.enabled).map((l) => l.name);
    if (listed.includes('cpuset')) assert.ok(v1.includes('cpuset'), caps.cgroupV1Controllers.reason);
    if (listed.includes('memory')) assert.ok(v1.includes('memory'), caps.cgroupV1Controllers.reason);
  }
});
