// The nft base-chain matrix (incidents.md Case 5): never-valid cells, version and config gates, probe overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NftCell } from '../../src/capabilities/capabilities.ts';
import { deriveNftChains, nftCellVerdict } from '../../src/capabilities/nft-chains.ts';
import { known } from '../../src/facts/fact.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';

const FULL = {
  NF_TABLES: 'm',
  NF_TABLES_IPV4: 'y',
  NF_TABLES_IPV6: 'y',
  NF_TABLES_INET: 'y',
  NF_TABLES_ARP: 'y',
  NF_TABLES_BRIDGE: 'm',
  NF_TABLES_NETDEV: 'y',
  NFT_NAT: 'm',
  NETFILTER_INGRESS: 'y',
  NETFILTER_EGRESS: 'y',
};
const modern = factsBuilder().withRelease('6.12.63').withConfig(FULL).build();

const matrix: [NftCell['family'], NftCell['type'], NftCell['hook'], NftCell['verdict']][] = [
  // The Submariner case: route only on output, whatever the kernel.
  ['ip', 'route', 'postrouting', 'rejected'],
  ['ip', 'route', 'output', 'accepted'],
  ['ip6', 'route', 'prerouting', 'rejected'],
  ['inet', 'route', 'output', 'accepted'],
  ['ip', 'nat', 'forward', 'rejected'],
  ['inet', 'nat', 'forward', 'rejected'],
  ['ip', 'nat', 'postrouting', 'accepted'],
  ['ip', 'nat', 'input', 'accepted'],
  ['inet', 'nat', 'prerouting', 'accepted'],
  ['ip', 'filter', 'ingress', 'rejected'],
  ['inet', 'filter', 'ingress', 'accepted'],
  ['netdev', 'filter', 'ingress', 'accepted'],
  ['netdev', 'filter', 'egress', 'accepted'],
  ['netdev', 'filter', 'input', 'rejected'],
  ['netdev', 'nat', 'ingress', 'rejected'],
  ['arp', 'filter', 'input', 'accepted'],
  ['arp', 'filter', 'forward', 'rejected'],
  ['arp', 'nat', 'input', 'rejected'],
  ['bridge', 'filter', 'forward', 'accepted'],
  ['bridge', 'filter', 'egress', 'rejected'],
  ['bridge', 'route', 'output', 'rejected'],
];

for (const [f, t, h, v] of matrix) {
  test(`nftCellVerdict on 6.12 with everything enabled: ${f} ${t} ${h} → ${v}`, () => {
    const c = nftCellVerdict(f, t, h, modern);
    assert.equal(c.verdict, v, c.reason);
    assert.ok(/nft_chain_(filter|nat|route)\.c/.test(c.reason), `reason names the source file: ${c.reason}`);
  });
}

test('version gates: inet nat/route 5.2, inet ingress 5.10, netdev egress 5.16', () => {
  const at = (rel: string) => factsBuilder().withRelease(rel).withConfig(FULL).build();
  assert.equal(nftCellVerdict('inet', 'nat', 'postrouting', at('5.1.21')).verdict, 'unsupported');
  assert.equal(nftCellVerdict('inet', 'nat', 'postrouting', at('5.2.0')).verdict, 'accepted');
  assert.equal(nftCellVerdict('inet', 'route', 'output', at('4.19.249')).verdict, 'unsupported');
  assert.equal(nftCellVerdict('inet', 'filter', 'ingress', at('5.9.16')).verdict, 'unsupported');
  assert.equal(nftCellVerdict('inet', 'filter', 'ingress', at('5.10.1')).verdict, 'accepted');
  const egress = nftCellVerdict('netdev', 'filter', 'egress', at('5.15.82'));
  assert.equal(egress.verdict, 'unsupported');
  assert.match(egress.reason, /5\.16/);
  assert.equal(nftCellVerdict('netdev', 'filter', 'egress', at('5.16.0')).verdict, 'accepted');
});

test('config gates: family options, NFT_NAT, the pre-5.1 NFT_CHAIN_NAT_IPV4 and pre-5.2 NFT_CHAIN_ROUTE_IPV4, NETFILTER_EGRESS', () => {
  const cfg = (rel: string, o: Record<string, string>) => factsBuilder().withRelease(rel).withConfig({ ...FULL, ...o }).build();
  const noEgress = nftCellVerdict('netdev', 'filter', 'egress', cfg('6.1.1', { NETFILTER_EGRESS: 'n' }));
  assert.equal(noEgress.verdict, 'unsupported');
  assert.match(noEgress.reason, /NETFILTER_EGRESS/);
  assert.equal(nftCellVerdict('ip6', 'filter', 'input', cfg('6.1.1', { NF_TABLES_IPV6: 'n' })).verdict, 'unsupported');
  assert.equal(nftCellVerdict('ip', 'nat', 'prerouting', cfg('6.1.1', { NFT_NAT: 'n' })).verdict, 'unsupported');
  // Old layout: NFT_CHAIN_NAT_IPV4 decides ip nat, NFT_NAT (the expression) does not.
  const old = { NFT_NAT: 'm', NFT_CHAIN_NAT_IPV4: 'm', NFT_CHAIN_NAT_IPV6: 'n', NFT_CHAIN_ROUTE_IPV4: 'm', NFT_CHAIN_ROUTE_IPV6: 'n' };
  assert.equal(nftCellVerdict('ip', 'nat', 'postrouting', cfg('4.19.249', old)).verdict, 'accepted');
  assert.equal(nftCellVerdict('ip6', 'nat', 'postrouting', cfg('4.19.249', old)).verdict, 'unsupported');
  assert.equal(nftCellVerdict('ip', 'route', 'output', cfg('4.19.249', old)).verdict, 'accepted');
  assert.equal(nftCellVerdict('ip6', 'route', 'output', cfg('4.19.249', old)).verdict, 'unsupported');
  assert.equal(nftCellVerdict('ip', 'filter', 'input', cfg('6.1.1', { NF_TABLES: 'n' })).verdict, 'unsupported');
});

test('unknowns: no config, or a vendor kernel below the mainline version (it may have backported)', () => {
  const noCfg = nftCellVerdict('ip', 'filter', 'input', factsBuilder().withRelease('6.1.1').build());
  assert.equal(noCfg.verdict, 'unknown');
  const rhel8 = factsBuilder().withRelease('4.18.0-553.97.1.el8_10.x86_64').withConfig(FULL).build();
  assert.equal(nftCellVerdict('inet', 'nat', 'postrouting', rhel8).verdict, 'unknown');
  assert.equal(nftCellVerdict('ip', 'nat', 'postrouting', rhel8).verdict, 'accepted');
  assert.equal(nftCellVerdict('ip', 'route', 'postrouting', factsBuilder().build()).verdict, 'rejected');
});

test('the full matrix has every family × type × hook once, and probes override with both reasons shown', () => {
  const cap = deriveNftChains(modern);
  assert.notEqual(cap.value, 'unknown');
  const cells = cap.value as readonly NftCell[];
  assert.equal(cells.length, 6 * 3 * 7);
  assert.equal(new Set(cells.map((c) => `${c.family}/${c.type}/${c.hook}`)).size, cells.length);
  assert.equal(cells.filter((c) => c.verdict === 'accepted').length, 40);

  const probed = factsBuilder()
    .withRelease('6.12.63')
    .withConfig(FULL)
    .withProbes({
      nftChains: known(
        [
          { family: 'netdev', type: 'filter', hook: 'egress', accepted: false, error: 'Operation not supported' },
          { family: 'ip', type: 'route', hook: 'postrouting', accepted: false, error: 'Chain of type "route" is not supported' },
        ],
        'probe',
      ),
    })
    .build();
  const pc = deriveNftChains(probed).value as readonly NftCell[];
  const egress = pc.find((c) => c.family === 'netdev' && c.type === 'filter' && c.hook === 'egress')!;
  assert.equal(egress.verdict, 'unsupported');
  assert.match(egress.reason, /probe: the kernel refused it/);
  assert.match(egress.reason, /static analysis said accepted/);
  const route = pc.find((c) => c.family === 'ip' && c.type === 'route' && c.hook === 'postrouting')!;
  assert.equal(route.verdict, 'rejected');
  assert.match(deriveNftChains(probed).reason, /1 probe result/);
});
