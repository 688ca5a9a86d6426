// deriveCapabilities + capabilityViews: every capability present, probe overrides, the JSON report shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveCapabilities } from '../../src/capabilities/derive.ts';
import { capabilityViews } from '../../src/capabilities/views.ts';
import { known } from '../../src/facts/fact.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';

const NAMES = [
  'iptablesLegacy',
  'iptablesNft',
  'moduleCompression',
  'inKernelDecompression',
  'cgroupV1Controllers',
  'cgroupV2Controllers',
  'binfmtClearsOnUnmount',
  'nftChains',
  'moduleLoading',
];

test('all-unknown facts give every capability as "unknown" with a reason, never a throw', () => {
  const caps = deriveCapabilities(factsBuilder().build());
  assert.deepEqual(Object.keys(caps).sort(), [...NAMES].sort());
  for (const [name, c] of Object.entries(capabilityViews(caps))) {
    if (name === 'nftChains') continue; // the matrix still lists never-valid cells as rejected
    assert.equal(c.value, 'unknown', `${name}: ${c.reason}`);
    assert.ok(c.reason.length > 0);
  }
});

test('probes override static capabilities and the reason shows both when they disagree', () => {
  const f = factsBuilder()
    .withRelease('6.6.30')
    .withConfig({ IP_NF_IPTABLES: 'm', NETFILTER_XTABLES: 'm', MODULES: 'y' })
    .withProbes({
      iptablesLegacyUsable: known(false, 'probe'),
      binfmtSurvivesUnmount: known(false, 'probe'),
    })
    .build();
  const caps = deriveCapabilities(f);
  assert.equal(caps.iptablesLegacy.value, 'unavailable');
  assert.match(caps.iptablesLegacy.reason, /probe iptablesLegacyUsable says unavailable, overriding the static analysis \(available:/);
  // 6.6.30 predates the 6.6.48 backport, but the running kernel cleared the registrations: the probe wins.
  assert.equal(caps.binfmtClearsOnUnmount.value, true);
  assert.match(caps.binfmtClearsOnUnmount.reason, /static analysis \(false/);
  const agree = deriveCapabilities(factsBuilder().withRelease('6.6.30').withProbes({ binfmtSurvivesUnmount: known(true, 'probe') }).build());
  assert.equal(agree.binfmtClearsOnUnmount.value, false);
  assert.match(agree.binfmtClearsOnUnmount.reason, /confirmed by probe/);
});

test('capabilityViews gives the DESIGN.md report shape and survives JSON', () => {
  const views = capabilityViews(deriveCapabilities(factsBuilder().withRelease('6.12.63').withConfig({ MODULES: 'y', MODULE_COMPRESS: 'y', MODULE_COMPRESS_XZ: 'y' }).build()));
  assert.deepEqual(Object.keys(views).sort(), [...NAMES].sort());
  for (const v of Object.values(views)) {
    assert.deepEqual(Object.keys(v).sort(), ['evidence', 'reason', 'value']);
    for (const e of v.evidence) assert.deepEqual(Object.keys(e).sort(), ['fact', 'source', 'value']);
  }
  assert.equal(views.moduleCompression!.value, 'xz');
  assert.deepEqual(JSON.parse(JSON.stringify(views)), views);
});
