// Property: whatever config options, release string and live facts a target has (including nonsense values), every
// capability derives without throwing, keeps a reason, and the nft matrix stays complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deriveCapabilities } from '../../src/capabilities/derive.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';

const KEYS = [
  'MODULES', 'MODULE_COMPRESS', 'MODULE_COMPRESS_NONE', 'MODULE_COMPRESS_GZIP', 'MODULE_COMPRESS_XZ', 'MODULE_COMPRESS_ZSTD',
  'MODULE_COMPRESS_ALL', 'MODULE_DECOMPRESS', 'IP_NF_IPTABLES', 'IP_NF_IPTABLES_LEGACY', 'NETFILTER_XTABLES',
  'NETFILTER_XTABLES_LEGACY', 'NF_TABLES', 'NFT_COMPAT', 'NF_TABLES_IPV4', 'NF_TABLES_IPV6', 'NF_TABLES_INET', 'NF_TABLES_ARP',
  'NF_TABLES_BRIDGE', 'NF_TABLES_NETDEV', 'NFT_NAT', 'NFT_CHAIN_NAT_IPV4', 'NFT_CHAIN_ROUTE_IPV6', 'NETFILTER_INGRESS',
  'NETFILTER_EGRESS', 'CGROUPS', 'CPUSETS', 'CPUSETS_V1', 'MEMCG', 'MEMCG_V1', 'CGROUP_SCHED', 'BLK_CGROUP',
];

const options = fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(fc.constantFrom('y', 'm', 'n'), fc.string({ maxLength: 6 })));
const release = fc.oneof(
  fc.constantFrom('6.1.0-27-amd64', '5.14.0-503.15.1.el9_5', '6.8.0-31-generic', '6.18.44-fc-v595', '4.19.321', '6.7', ''),
  fc.string({ maxLength: 24 }),
);
const names = fc.array(fc.constantFrom('ip_tables', 'nf_tables', 'nft_compat', 'x_tables', 'foo'), { maxLength: 5 });

test('property: deriveCapabilities never throws and always explains itself', () => {
  fc.assert(
    fc.property(options, release, names, names, fc.boolean(), (opts, rel, loaded, files, disabled) => {
      const f = factsBuilder()
        .withRelease(rel)
        .withConfig(opts)
        .withLoaded(loaded)
        .withModules(files.map((n) => `kernel/x/${n}.ko.zst`))
        .withModulesDisabled(disabled)
        .build();
      const caps = deriveCapabilities(f);
      for (const c of Object.values(caps) as { reason: string }[]) assert.ok(c.reason.length > 0);
      assert.ok(caps.nftChains.value !== 'unknown' && caps.nftChains.value.length === 126);
    }),
    { numRuns: 300 },
  );
});
