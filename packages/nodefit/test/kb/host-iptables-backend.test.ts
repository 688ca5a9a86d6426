// Which iptables backend the host uses, read once for both checks that compare against it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/engine/evaluate.ts';
import { known } from '../../src/facts/fact.ts';
import type { HostFacts } from '../../src/facts/snapshot.ts';
import type { ImageFacts } from '../../src/image/image-facts.ts';
import { hostIptablesBackend } from '../../src/kb/host-iptables-backend.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';
import { imageFacts } from '../helpers/image-facts.ts';
import { fixtureProfile, snapshotOf } from './support.ts';

const rocky95 = { id: 'rocky', versionId: '9.5', family: 'rhel' as const, idLike: ['rhel', 'centos', 'fedora'] };
const nftBinary = known({ path: '/usr/sbin/iptables', chain: ['/usr/sbin/iptables', '/usr/sbin/xtables-nft-multi'], kind: 'nft' as const }, '/usr/sbin/iptables');

const cases: Array<{ name: string; facts: HostFacts; backend: string; why: RegExp }> = [
  {
    name: "the host's iptables binary decides, even with legacy tables loaded",
    facts: factsBuilder().with('netfilter', 'iptables', nftBinary).withLegacyTables(['filter']).build(),
    backend: 'nft',
    why: /\/usr\/sbin\/iptables is iptables-nft/,
  },
  {
    // k0s#5328: on Rocky 9.5 the legacy tables were kube-router's own, made by the workload that crash-looped
    name: 'RHEL 9 family without a readable binary: nft, although a legacy-wired workload has made legacy tables',
    facts: factsBuilder().withOs(rocky95).withLegacyTables(['filter', 'nat']).build(),
    backend: 'nft',
    why: /rocky 9\.5 ships only iptables-nft/,
  },
  {
    name: 'Debian with legacy tables in use and no readable binary: legacy',
    facts: factsBuilder().withOs({ id: 'debian', versionId: '12', family: 'debian' }).withLegacyTables(['filter', 'nat']).build(),
    backend: 'legacy',
    why: /legacy iptables tables are in use \(filter, nat\)/,
  },
  {
    name: 'nf_tables in use and no legacy table: nft',
    facts: factsBuilder().withLegacyTables([]).withNfTablesActive(true).build(),
    backend: 'nft',
    why: /nf_tables is in use and no legacy table is/,
  },
  {
    name: 'nothing known: unknown',
    facts: factsBuilder().build(),
    backend: 'unknown',
    why: /iptables backend is unknown/,
  },
];

for (const c of cases) {
  test(`host iptables backend: ${c.name}`, () => {
    const r = hostIptablesBackend(c.facts);
    assert.equal(r.backend, c.backend);
    assert.match(r.why, c.why);
  });
}

function legacyImage(): ImageFacts {
  return imageFacts({
    reference: 'oci:kube-router-k0s-1.31.2',
    path: ['/sbin'],
    iptables: {
      binary: { path: '/sbin/iptables', chain: ['/sbin/iptables', '/sbin/xtables-legacy-multi'], realPath: '/sbin/xtables-legacy-multi', kind: 'elf' },
      mode: 'legacy',
      wrapperFiles: [],
      wrapperNotInstalled: false,
      backendsPresent: ['legacy'],
    },
  });
}

test('the workload check and the image check read the same host the same way (Rocky 9.5 with the legacy tables kube-router made)', () => {
  const facts = cases[1]!.facts;
  const profile = fixtureProfile('kube-router-k0s-1.31.2');
  const report = evaluate(snapshotOf(facts, 'root'), { profiles: [profile], workloads: [profile.id], image: legacyImage() });
  const workload = report.findings.find((f) => f.checkId === 'iptables-backend-mismatch' && f.workload === profile.id);
  const image = report.findings.find((f) => f.checkId === 'image-iptables-backend');
  assert.ok(workload !== undefined && image !== undefined);
  for (const f of [workload, image]) {
    assert.equal(f.outcome, 'fail', f.message);
    assert.match(f.message, /ships only iptables-nft/);
  }
});
