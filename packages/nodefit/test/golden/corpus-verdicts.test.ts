// The verdict table: every built-in workload against every corpus kernel config (facts from --kernel-config only),
// checked in as corpus-verdicts.txt so any change in verdicts shows up in review. Regenerate with UPDATE_GOLDEN=1.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../src/engine/evaluate.ts';
import type { Finding, Report } from '../../src/engine/report.ts';
import { BUILTIN_WORKLOADS } from '../../src/kb/builtin-workloads.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { corpusConfigs, need } from '../helpers/fixtures.ts';

const GOLDEN = path.join(import.meta.dirname, 'corpus-verdicts.txt');

/** One cell: worst outcome with its count (F fail, W warn, ? unknown), "ok" when everything that applies passes. */
function cell(findings: readonly Finding[]): string {
  const n = (o: Finding['outcome']) => findings.filter((f) => f.outcome === o).length;
  if (n('fail') > 0) return `F${n('fail')}`;
  if (n('warn') > 0) return `W${n('warn')}`;
  if (n('unknown') > 0) return `?${n('unknown')}`;
  return 'ok';
}

function label(f: Finding): string {
  return f.requirement === undefined ? f.checkId : `${f.checkId}:${f.requirement}`;
}

async function reports(): Promise<Map<string, Report>> {
  const out = new Map<string, Report>();
  for (const file of corpusConfigs()) {
    const snapshot = await loadTarget({ base: { kind: 'offline' }, kernelConfig: file });
    // every workload, the guest kernel's too (a default check leaves it out): which of these kernels could boot a Kata VM
    out.set(path.basename(file, '.config'), evaluate(snapshot, { workloads: BUILTIN_WORKLOADS.map((w) => w.id) }));
  }
  return out;
}

function render(all: Map<string, Report>): string {
  const ids = BUILTIN_WORKLOADS.map((w) => w.id);
  const names = [...all.keys()];
  const w0 = Math.max(...names.map((n) => n.length));
  const colW = ids.map((id) => Math.max(id.length, 4));
  const lines: string[] = [
    '# nodefit verdicts: every built-in workload against every corpus kernel config (facts from --kernel-config only).',
    '# Cell: worst outcome and how many findings have it. F = fail (error), W = warn (optional requirement or warning),',
    '# ? = unknown (needs live state: sysctls, binfmt entries, mounts), ok = everything that applies passes.',
    '# Regenerate: UPDATE_GOLDEN=1 node scripts/run-tests.mjs corpus-verdicts',
    '',
    ['config'.padEnd(w0), ...ids.map((id, i) => id.padEnd(colW[i]!))].join('  ').trimEnd(),
  ];
  for (const name of names) {
    const r = all.get(name)!;
    lines.push([name.padEnd(w0), ...ids.map((id, i) => cell(r.findings.filter((f) => f.workload === id)).padEnd(colW[i]!))].join('  ').trimEnd());
  }
  lines.push('', '# What failed or warned, per config and workload (check:requirement).');
  for (const name of names) {
    const r = all.get(name)!;
    lines.push('', `## ${name} (kernel ${r.target.kernelRelease ?? 'unknown'})`);
    for (const id of ids) {
      const fs_ = r.findings.filter((f) => f.workload === id);
      const fail = fs_.filter((f) => f.outcome === 'fail').map(label);
      const warn = fs_.filter((f) => f.outcome === 'warn').map(label);
      if (fail.length + warn.length === 0) continue;
      lines.push(`${id}:${fail.length > 0 ? ` FAIL ${fail.join(' ')}` : ''}${warn.length > 0 ? ` WARN ${warn.join(' ')}` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

test('corpus verdict table matches the reviewed golden file', async (t) => {
  if (!need(t, corpusConfigs().length > 0, 'the kernel-config corpus')) return;
  const all = await reports();
  const text = render(all);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, text);
  assert.equal(text, fs.readFileSync(GOLDEN, 'utf8'), 'verdicts changed: review, then regenerate with UPDATE_GOLDEN=1');

  // Spot checks, each verified by reading the config file itself:
  const verdict = (config: string, workload: string) => {
    const key = [...all.keys()].find((k) => k.startsWith(config))!;
    return all.get(key)!.findings.filter((f) => f.workload === workload);
  };
  const failed = (config: string, workload: string) => verdict(config, workload).filter((f) => f.outcome === 'fail').map(label);
  const warned = (config: string, workload: string) => verdict(config, workload).filter((f) => f.outcome === 'warn').map(label);

  // 1. talos-6.18.45 has "# CONFIG_NETFILTER_XTABLES_LEGACY is not set" and no IP_NF_FILTER/NAT/MANGLE/RAW lines:
  //    the iptable_* modules Cilium's agent loads cannot exist. Its image's iptables-wrapper then uses nft (the agent
  //    only warns about the IPv4 modules), so those requirements do not apply; the IPv6 ones stop an IPv6-enabled agent
  //    anywhere (cilium/cilium#30638), so they stay (optional: warnings).
  const verdictOf = (config: string, workload: string, requirement: string) => verdict(config, workload).find((f) => f.requirement === requirement)?.outcome;
  for (const req of ['ip-tables', 'iptable-nat', 'iptable-mangle', 'iptable-raw', 'iptable-filter']) assert.equal(verdictOf('talos-6.18.45', 'cilium', req), 'not-applicable', req);
  assert.ok(warned('talos-6.18.45', 'cilium').includes('kernel-module:ip6-tables'));
  assert.equal(verdictOf('talos-6.18.45', 'cilium', 'iptables'), 'pass');
  // 2. bottlerocket-6.18.8: the same ("# CONFIG_NETFILTER_XTABLES_LEGACY is not set", CONFIG_NFT_COMPAT=m), and Istio's
  //    legacy-backend table modules likewise; bottlerocket-6.1.163 (CONFIG_IP_NF_FILTER=y ...) still has them checked.
  assert.equal(verdictOf('bottlerocket-6.18.8', 'cilium', 'ip-tables'), 'not-applicable');
  assert.equal(verdictOf('bottlerocket-6.18.8', 'istio-cni', 'iptable-nat'), 'not-applicable');
  assert.equal(verdictOf('bottlerocket-6.1.163', 'cilium', 'ip-tables'), 'pass');
  //    containerd there: the check-config.sh legacy tables (IP_NF_FILTER, IP_NF_NAT, ...) do not apply, iptables-nft's
  //    CONFIG_NFT_COMPAT=m, CONFIG_NFT_NAT=m and CONFIG_NETFILTER_XT_TARGET_MASQUERADE=m do, and pass.
  assert.equal(verdictOf('bottlerocket-6.18.8', 'containerd', 'ip-nf-filter'), 'not-applicable');
  for (const req of ['nft-compat', 'nft-nat', 'xt-target-masquerade']) assert.equal(verdictOf('bottlerocket-6.18.8', 'containerd', req), 'pass', req);
  assert.equal(verdictOf('bottlerocket-6.1.163', 'containerd', 'nft-compat'), 'not-applicable');
  // 3. bottlerocket-6.1.163: CONFIG_MODULE_COMPRESS_GZIP=y and CONFIG_OPENVSWITCH=m: Antrea's in-image modprobe
  //    must read gzip (the Bottlerocket 1.20.0 incident) — a warning without an image.
  assert.deepEqual(warned('bottlerocket-6.1.163', 'antrea'), ['module-compression-support']);
  // 4. debian12-6.1.159: CONFIG_MODULE_COMPRESS_NONE=y, CONFIG_OPENVSWITCH=m, OPENVSWITCH_GENEVE=m: Antrea passes.
  assert.deepEqual([...failed('debian12-6.1.159', 'antrea'), ...warned('debian12-6.1.159', 'antrea')], []);
  // 5. debian13-6.12.63: "# CONFIG_CPUSETS_V1 is not set", "# CONFIG_MEMCG_V1 is not set": Kata's guest v1
  //    controllers are gone (optional in the built-in profile, so a warning).
  assert.ok(warned('debian13-6.12.63', 'kata-containers').includes('cgroup-v1-controller-missing:guest-cpuset-v1'));
  // 6. bottlerocket-6.12.73 keeps CONFIG_CPUSETS_V1=y and CONFIG_MEMCG_V1=y.
  assert.ok(!warned('bottlerocket-6.12.73', 'kata-containers').some((l) => l.startsWith('cgroup-v1-controller-missing')));
  // 7. upstream-x86_64_defconfig-6.12.68: "# CONFIG_VXLAN is not set": Flannel's vxlan backend cannot work.
  assert.ok(failed('upstream-x86_64_defconfig-6.12.68', 'flannel').includes('kernel-option:vxlan'));
  // 8. almalinux8 4.18.0-553: kube-proxy's nftables mode needs 5.13.
  assert.ok(failed('almalinux8-4.18', 'kube-proxy-nftables').includes('kernel-version:kernel-5-13'));
  // 9. debian13-6.12.63 has CONFIG_NF_TABLES_IPV4=y and CONFIG_NFT_NAT=m: Submariner's (fixed) filter/postrouting and
  //    nat/postrouting chains are accepted.
  assert.ok(!failed('debian13-6.12.63', 'submariner').some((l) => l.startsWith('nft-chain-type-hook')));
  // 10. almalinux10 6.12 still says CONFIG_IP_NF_IPTABLES_LEGACY=m, but RHEL 10 ships no legacy iptables modules
  //     (capabilities/iptables-legacy.ts): Cilium's legacy table modules do not apply there.
  assert.equal(verdictOf('almalinux10', 'cilium', 'ip-tables'), 'not-applicable');
  // 11. qemu-binfmt on bottlerocket-6.1.163 (>= 6.1.107 backport): binfmt_misc lifetime cannot be decided from a config
  //     (host mounts are live state), so it is unknown rather than a failure.
  assert.equal(verdict('bottlerocket-6.1.163', 'qemu-binfmt').find((f) => f.checkId === 'binfmt-registration-lifetime')?.outcome, 'unknown');
  // 12. RHEL 9 backported 6.1's removal of MEMCG_SWAP in a minor release: 9.7's 5.14.0-611 has no line for it, so the
  //     old optional check passes there (folded into MEMCG and SWAP), while 9.3's -362 still lists MEMCG_SWAP=y.
  assert.equal(verdictOf('almalinux9-5.14.0-611', 'containerd', 'memcg-swap'), 'pass');
  assert.equal(verdictOf('rhel9-5.14.0-362', 'containerd', 'memcg-swap'), 'pass');
  // 13. Docker 28 needs the legacy raw table for port publishing (moby#49557): the 6.12 defconfig has legacy iptables
  //     without IP_NF_RAW and fails; Talos lacks only IPv6 masquerading, an optional need of IPv6 networks.
  assert.ok(failed('upstream-x86_64_defconfig-6.12.68', 'containerd').includes('kernel-option:ip-nf-raw'));
  assert.deepEqual(warned('talos-6.6.62', 'containerd'), ['kernel-option:ip6-nf-target-masquerade']);
  // 14. antrea#7755: on a kernel without legacy xtables, detectors that take legacy when the host shows nothing (old
  //     Antrea wrapper, Calico Felix Auto) may meet that tie; whether they do depends on the host's iptables, which a
  //     config does not show, so it is unknown here (a live Talos host warns). Flannel's Go wrapper takes nft and passes.
  for (const w of ['antrea', 'calico']) assert.equal(verdictOf('talos-6.18.45', w, 'iptables'), 'unknown', w);
  assert.equal(verdictOf('talos-6.18.45', 'flannel', 'iptables'), 'pass');
  // 15. kubelet's swap-off need is a fact of the running host (/proc/swaps), which no config holds: unknown on every
  //     config, one more "?" in each kubelet cell, never a failure.
  for (const config of ['debian12-6.1.159', 'bottlerocket-6.12.73', 'talos-6.18.45']) assert.equal(verdictOf(config, 'kubelet', 'swap-off'), 'unknown', config);
  // 16. Felix's ipset types are modules of their own: every distribution config builds hash:ip, hash:net and
  //     hash:ip,port (Debian 12 as modules), while the upstream defconfigs, which have no IP_SET at all, fail on them too.
  //     LinuxKit leaves out hash:net,net (CONFIG_IP_SET_HASH_NETNET), which only Felix's TPROXY path uses: a warning.
  for (const r of ['ip-set-hash-ip', 'ip-set-hash-net', 'ip-set-hash-ipport', 'ip-set-hash-netnet', 'ip-set-bitmap-port']) assert.equal(verdictOf('debian12-6.1.159', 'calico', r), 'pass', r);
  assert.ok(failed('upstream-x86_64_defconfig-6.12.68', 'calico').includes('kernel-module:ip-set-hash-net'));
  assert.deepEqual(warned('linuxkit-6.6.71', 'calico'), ['kernel-module:ip-set-hash-netnet']);
  // 17. Istio's native nftables tables are all inet, and nat chains exist in the inet family only from 5.2: Debian 10
  //     (4.19) has every expression module and still fails the two nat chains, which Debian 11 (5.10) passes. Its
  //     in-pod route chain (ambient, optional) is on output, the one hook route chains take, in inet also from 5.2.
  assert.deepEqual(failed('debian10-4.19.249', 'istio-cni-nftables'), ['nft-chain-type-hook:inet-nat-prerouting', 'nft-chain-type-hook:inet-nat-output']);
  for (const r of ['inet-nat-prerouting', 'inet-nat-output', 'nft-redir', 'nft-ct']) assert.equal(verdictOf('debian11-5.10.223', 'istio-cni-nftables', r), 'pass', r);
  assert.equal(verdictOf('debian12-6.1.159', 'istio-cni-nftables', 'inet-route-output'), 'pass');
  //     Submariner's ip6 table is optional (IPv6 and dual-stack clusters): a warning where the kernel has no nf_tables.
  assert.ok(warned('upstream-x86_64_defconfig-6.12.68', 'submariner').includes('nft-chain-type-hook:ip6-snat-chain'));
  assert.equal(verdictOf('debian12-6.1.159', 'submariner', 'ip6-mss-clamp-chain'), 'pass');
  // 18. kata-guest asks for a VM guest kernel with everything built in. Distribution host kernels build virtio, vsock,
  //     virtio-fs and overlayfs as modules and fail it; Talos 5.10 and 5.15, built monolithic, pass whole; LinuxKit
  //     6.12 (Docker Desktop's VM kernel) has vsock as a module and no virtio-fs, and, being 6.12 without CPUSETS_V1,
  //     warns that an agent older than Kata 3.14 would panic (incident 4).
  for (const config of ['debian12-6.1.159', 'ubuntu24.04-6.8.0-31', 'rhel9-5.14.0-362']) assert.ok(failed(config, 'kata-guest').includes('kernel-option:virtio-fs'), config);
  for (const config of ['talos-5.10.75', 'talos-5.15.82']) {
    const outcomes = new Set(BUILTIN_WORKLOADS.find((w) => w.id === 'kata-guest')!.requirements.map((r) => verdictOf(config, 'kata-guest', r.id)));
    assert.deepEqual([...outcomes], ['pass'], config);
  }
  assert.ok(warned('linuxkit-6.12.59', 'kata-guest').includes('cgroup-v1-controller-missing:cpuset-v1'));
});
