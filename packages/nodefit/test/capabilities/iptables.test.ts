// iptablesLegacy / iptablesNft: live state beats module files beats config, and the v6.9/v6.17 Kconfig changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveIptablesLegacy } from '../../src/capabilities/iptables-legacy.ts';
import { deriveIptablesNft } from '../../src/capabilities/iptables-nft.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';

const NFT_OK = { NF_TABLES: 'm', NFT_COMPAT: 'm', NETFILTER_XTABLES: 'm', NF_TABLES_IPV4: 'y', NF_TABLES_IPV6: 'y', MODULES: 'y' };

const legacyCases: { name: string; build: () => ReturnType<typeof factsBuilder>; value: string; reason: RegExp }[] = [
  {
    name: 'live tables in /proc/net/ip_tables_names win over a config that compiles legacy out',
    build: () => factsBuilder().withRelease('6.18.8').withConfig({ NETFILTER_XTABLES_LEGACY: 'n' }).withLegacyTables(['filter', 'nat']),
    value: 'available',
    reason: /in use right now/,
  },
  {
    name: 'ip_tables loaded',
    build: () => factsBuilder().withLoaded(['ip_tables', 'x_tables']),
    value: 'available',
    reason: /loaded/,
  },
  {
    name: 'ip_tables in modules.builtin',
    build: () => factsBuilder().withModules(['kernel/fs/ext4/ext4.ko']).withBuiltin(['ip_tables']),
    value: 'available',
    reason: /built into the kernel/,
  },
  {
    name: 'module file present',
    build: () => factsBuilder().withModules(['kernel/net/ipv4/netfilter/ip_tables.ko.xz']),
    value: 'available',
    reason: /loadable module/,
  },
  {
    name: 'module file present but modules_disabled=1',
    build: () => factsBuilder().withModules(['kernel/net/ipv4/netfilter/ip_tables.ko']).withModulesDisabled(true),
    value: 'unavailable',
    reason: /modules cannot be loaded/,
  },
  {
    name: 'module tree read and no ip_tables anywhere (RHEL 10 style) even though config says m',
    build: () =>
      factsBuilder()
        .withConfig({ IP_NF_IPTABLES: 'm', IP_NF_IPTABLES_LEGACY: 'm', MODULES: 'y' })
        .withModules(['kernel/net/netfilter/nf_tables.ko.xz'])
        .withBuiltin([]),
    value: 'unavailable',
    reason: /no ip_tables\.ko/,
  },
  {
    name: '6.17+: NETFILTER_XTABLES_LEGACY not set compiles legacy xtables out',
    build: () => factsBuilder().withRelease('6.18.8').withConfig({ IP_NF_IPTABLES: 'y', NETFILTER_XTABLES: 'y', NETFILTER_XTABLES_LEGACY: 'n' }),
    value: 'unavailable',
    reason: /NETFILTER_XTABLES_LEGACY is not set/,
  },
  {
    name: 'module tree without modules.builtin: a missing file defers to the config (built in)',
    build: () => factsBuilder().withRelease('6.1.1').withConfig({ IP_NF_IPTABLES: 'y', NETFILTER_XTABLES: 'y' }).withModules(['kernel/fs/ext4/ext4.ko']),
    value: 'available',
    reason: /IP_NF_IPTABLES=y/,
  },
  {
    name: '>= 6.9: IP_NF_IPTABLES=m proves nothing, IP_NF_IPTABLES_LEGACY absent means no ip_tables object',
    build: () => factsBuilder().withRelease('6.10.3').withConfig({ IP_NF_IPTABLES: 'm', NETFILTER_XTABLES: 'm', MODULES: 'y' }),
    value: 'unavailable',
    reason: /a9525c7f6219/,
  },
  {
    name: '>= 6.9: IP_NF_IPTABLES_LEGACY=m',
    build: () => factsBuilder().withRelease('6.12.63').withConfig({ IP_NF_IPTABLES: 'm', IP_NF_IPTABLES_LEGACY: 'm', NETFILTER_XTABLES: 'm', MODULES: 'y' }),
    value: 'available',
    reason: /IP_NF_IPTABLES_LEGACY=m/,
  },
  {
    name: 'stable backport: a 6.6 config that carries IP_NF_IPTABLES_LEGACY uses the new semantics',
    build: () => factsBuilder().withRelease('6.6.140').withConfig({ IP_NF_IPTABLES: 'm', IP_NF_IPTABLES_LEGACY: 'n', NETFILTER_XTABLES_LEGACY: 'y' }),
    value: 'unavailable',
    reason: /IP_NF_IPTABLES_LEGACY is not set/,
  },
  {
    name: 'before 6.9 without the new options: IP_NF_IPTABLES=m builds ip_tables',
    build: () => factsBuilder().withRelease('6.1.159').withConfig({ IP_NF_IPTABLES: 'm', NETFILTER_XTABLES: 'm', MODULES: 'y' }),
    value: 'available',
    reason: /CONFIG_IP_NF_IPTABLES=m/,
  },
  {
    name: 'IP_NF_IPTABLES=m on a kernel without module support',
    build: () => factsBuilder().withRelease('5.10.1').withConfig({ IP_NF_IPTABLES: 'm', NETFILTER_XTABLES: 'y', MODULES: 'n' }),
    value: 'unavailable',
    reason: /CONFIG_MODULES/,
  },
  {
    name: 'RHEL 10 config alone: =m but the modules are not shipped',
    build: () => factsBuilder().withRelease('6.12.0-124.29.1.el10_1.x86_64').withConfig({ IP_NF_IPTABLES: 'm', IP_NF_IPTABLES_LEGACY: 'm', NETFILTER_XTABLES: 'y', MODULES: 'y' }),
    value: 'unavailable',
    reason: /kops#18179/,
  },
  {
    name: 'nothing known',
    build: () => factsBuilder(),
    value: 'unknown',
    reason: /no kernel config/,
  },
];

for (const c of legacyCases) {
  test(`iptablesLegacy: ${c.name}`, () => {
    const cap = deriveIptablesLegacy(c.build().build());
    assert.equal(cap.value, c.value, cap.reason);
    assert.match(cap.reason, c.reason);
    assert.ok(cap.evidence.length > 0, 'every verdict names the facts it used');
  });
}

test('iptablesNft: nf_tables + nft_compat + families from config', () => {
  assert.equal(deriveIptablesNft(factsBuilder().withConfig(NFT_OK).build()).value, 'available');
  const noCompat = deriveIptablesNft(factsBuilder().withConfig({ ...NFT_OK, NFT_COMPAT: 'n' }).build());
  assert.equal(noCompat.value, 'unavailable');
  assert.match(noCompat.reason, /NFT_COMPAT is not set/);
  const noV6 = deriveIptablesNft(factsBuilder().withConfig({ ...NFT_OK, NF_TABLES_IPV6: 'n' }).build());
  assert.equal(noV6.value, 'unavailable');
  assert.match(noV6.reason, /NF_TABLES_IPV6/);
  assert.equal(deriveIptablesNft(factsBuilder().build()).value, 'unknown');
});

test('iptablesNft: module files win over config (nft_compat missing from the tree)', () => {
  const f = factsBuilder()
    .withConfig(NFT_OK)
    .withModules(['kernel/net/netfilter/nf_tables.ko.xz', 'kernel/net/netfilter/x_tables.ko.xz'])
    .withBuiltin([])
    .build();
  const cap = deriveIptablesNft(f);
  assert.equal(cap.value, 'unavailable');
  assert.match(cap.reason, /nft_compat\.ko\* is not in the module tree/);
  const loaded = deriveIptablesNft(factsBuilder().withConfig({ ...NFT_OK, MODULES: 'n' }).withLoaded(['nf_tables', 'nft_compat', 'x_tables']).build());
  assert.equal(loaded.value, 'available', loaded.reason);
});
