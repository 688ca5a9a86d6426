// Whether legacy xtables (ip_tables, the iptables-legacy backend) can be used on this kernel. A config line
// CONFIG_IP_NF_IPTABLES=m no longer proves it: since v6.9 the ip_tables object comes from another option.
//
// Sources (kernel history, read via the upstream mailing lists and stable review series):
// - a9525c7f6219 "netfilter: xtables: allow xtables-nft only builds" (Florian Westphal, v6.9): ip_tables.o is built
//   from the hidden tristate IP_NF_IPTABLES_LEGACY, selected by IP_NF_FILTER/NAT/MANGLE/RAW/SECURITY; a config can
//   say IP_NF_IPTABLES=m and still have no ip_tables.ko. Follow-up 749d4ef0868c "netfilter: xtables: fix up kconfig
//   dependencies".
// - "netfilter: Make legacy configs user selectable" (Breno Leitao, v6.17): visible bool NETFILTER_XTABLES_LEGACY
//   ("depends on !PREEMPT_RT"); IP_NF_IPTABLES_LEGACY then depends on it. Bottlerocket 6.18 and Talos 6.18 configs
//   in the corpus say "# CONFIG_NETFILTER_XTABLES_LEGACY is not set".
// - Both were backported to stable series in May 2026 (stable review "[PATCH 6.6 110/186]", "[PATCH 5.15 735/776]
//   netfilter: xtables: fix up kconfig dependencies"), so the version alone cannot decide: when either option appears
//   in a config, the new semantics apply whatever the version; when neither appears on a kernel before 6.9, the old
//   ones (IP_NF_IPTABLES builds ip_tables) do. Debian 12 6.1.159 and Azure Linux 6.6.134 configs have neither.
// - RHEL 10 removed the legacy iptables kernel modules (kubernetes/kops#18179) although its config still reads
//   IP_NF_IPTABLES_LEGACY=m (AlmaLinux 10 / CentOS Stream 10 configs in the corpus).
import type { HostFacts } from '../facts/snapshot.ts';
import { atLeast } from '../util/kernel-version.ts';
import type { Availability } from './capabilities.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { configOption, disabled, factEvidence, kernelRelease, modulePresence, rhelMajor } from './facts-view.ts';
import { deriveModuleLoading } from './module-loading.ts';

export function deriveIptablesLegacy(facts: HostFacts): Capability<Availability> {
  const ev: Evidence[] = [];
  const ok = (reason: string) => capability<Availability>('available', reason, ev);
  const no = (reason: string) => capability<Availability>('unavailable', reason, ev);

  // 1. Live: tables already instantiated by the kernel.
  const tables = facts.netfilter.legacyTablesV4;
  if (tables.state === 'known' && tables.value.length > 0) {
    ev.push(factEvidence('netfilter.legacyTablesV4', tables, (v) => v.join(',')));
    return ok(`legacy iptables tables are in use right now (${tables.value.join(', ')} in /proc/net/ip_tables_names)`);
  }

  // 2. The module itself: loaded, built in, or a file in the tree.
  const mod = modulePresence(facts, 'ip_tables');
  if (mod.kind === 'loaded') {
    ev.push(mod.evidence);
    return ok('ip_tables is loaded');
  }
  if (mod.kind === 'builtin') {
    ev.push(mod.evidence);
    return ok('ip_tables is built into the kernel (modules.builtin)');
  }
  if (mod.kind === 'file') {
    ev.push(mod.evidence);
    const loading = deriveModuleLoading(facts);
    if (loading.value === 'unavailable') {
      ev.push(...loading.evidence);
      return no(`ip_tables exists as a module file (${mod.evidence.value}) but modules cannot be loaded: ${loading.reason}`);
    }
    return ok(`ip_tables is a loadable module (${mod.evidence.value})`);
  }
  if (mod.kind === 'missing') {
    ev.push(...mod.evidence);
    return no('the module tree has no ip_tables.ko* and modules.builtin does not list it: the kernel was built without legacy iptables');
  }
  ev.push(...mod.evidence);

  // 3. The kernel config.
  return fromConfig(facts, ev);
}

function fromConfig(facts: HostFacts, ev: Evidence[]): Capability<Availability> {
  const ok = (reason: string) => capability<Availability>('available', reason, ev);
  const no = (reason: string) => capability<Availability>('unavailable', reason, ev);
  const xtLegacy = configOption(facts, 'NETFILTER_XTABLES_LEGACY');
  const ipLegacy = configOption(facts, 'IP_NF_IPTABLES_LEGACY');
  const ipt = configOption(facts, 'IP_NF_IPTABLES');
  const xt = configOption(facts, 'NETFILTER_XTABLES');
  if (ipt.kind === 'no-config') {
    ev.push(ipt.evidence);
    return capability<Availability>('unknown', 'no live netfilter state, no module tree and no kernel config to decide from', ev);
  }
  ev.push(xtLegacy.evidence, ipLegacy.evidence, ipt.evidence, xt.evidence);
  const rel = kernelRelease(facts);
  if (rel !== undefined) ev.push(rel.evidence);

  if (disabled(xt)) return no('CONFIG_NETFILTER_XTABLES is not set: no xtables at all');
  if (disabled(xtLegacy)) {
    return no('CONFIG_NETFILTER_XTABLES_LEGACY is not set: legacy xtables (ip_tables, iptables-legacy) is compiled out (v6.17 "netfilter: Make legacy configs user selectable")');
  }

  const newStyle = ipLegacy.kind === 'set' || xtLegacy.kind === 'set' || (rel !== undefined && atLeast(rel.release, '6.9') === true);
  let verdict: { value: string; option: string } | undefined;
  if (newStyle) {
    if (ipLegacy.kind !== 'set' || ipLegacy.value === 'n') {
      return no(
        xtLegacy.kind === 'absent' && rel !== undefined && atLeast(rel.release, '6.17') === true
          ? 'CONFIG_IP_NF_IPTABLES_LEGACY is not set and NETFILTER_XTABLES_LEGACY is absent (PREEMPT_RT or not selected): no ip_tables object is built'
          : 'CONFIG_IP_NF_IPTABLES_LEGACY is not set: since v6.9 (a9525c7f6219) ip_tables is only built when a legacy table (IP_NF_FILTER, IP_NF_NAT, …) selects it, whatever IP_NF_IPTABLES says',
      );
    }
    verdict = { value: ipLegacy.value, option: 'IP_NF_IPTABLES_LEGACY' };
  } else {
    if (ipt.kind === 'absent') {
      return capability<Availability>('unknown', 'the kernel config mentions neither IP_NF_IPTABLES nor IP_NF_IPTABLES_LEGACY (partial config?)', ev);
    }
    if (ipt.value === 'n') return no('CONFIG_IP_NF_IPTABLES is not set');
    verdict = { value: ipt.value, option: 'IP_NF_IPTABLES' };
  }
  if (verdict.value !== 'y' && verdict.value !== 'm') {
    return capability<Availability>('unknown', `CONFIG_${verdict.option}=${verdict.value} is not a tristate value`, ev);
  }
  if (verdict.value === 'y') return ok(`CONFIG_${verdict.option}=y: ip_tables is built into the kernel`);

  const major = rhelMajor(facts);
  if (major !== undefined && major >= 10) {
    return no(
      `RHEL ${major} removed the legacy iptables kernel modules (kubernetes/kops#18179), although the config says CONFIG_${verdict.option}=m; no module tree was read to show otherwise`,
    );
  }
  const loading = deriveModuleLoading(facts);
  if (loading.value === 'unavailable') {
    ev.push(...loading.evidence);
    return no(`CONFIG_${verdict.option}=m but modules cannot be loaded: ${loading.reason}`);
  }
  return ok(`CONFIG_${verdict.option}=m: ip_tables is built as a module (no module tree was read to confirm the file ships)`);
}
