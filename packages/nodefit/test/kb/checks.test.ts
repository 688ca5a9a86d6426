// Runs every check's pass / fail / unknown table (real incidents from corpus configs and Debian trees) and checks the
// knowledge base is consistent: every check and workload documented, referenced, and with passing and failing cases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHECKS } from '../../src/kb/checks/index.ts';
import { BUILTIN_WORKLOADS } from '../../src/kb/builtin-workloads.ts';
import { runCheckTable, type CheckTable } from '../../src/kb/testing/check-tester.ts';
import { need } from '../helpers/fixtures.ts';
import { binfmtLifetimeCases, cgroupV1Cases, iptablesBackendCases, moduleCompressionCases, nftChainCases } from './cases/incident-cases.ts';
import { binfmtHandlerCases, cgroupControllerCases, kernelModuleCases, kernelOptionCases, kernelVersionCases, swapCases, sysctlCases } from './cases/requirement-cases.ts';
import { corpusAvailable, treeAvailable } from './support.ts';

const TABLES: Record<string, () => CheckTable> = {
  'module-compression-support': moduleCompressionCases,
  'iptables-backend-mismatch': iptablesBackendCases,
  'binfmt-registration-lifetime': binfmtLifetimeCases,
  'cgroup-v1-controller-missing': cgroupV1Cases,
  'nft-chain-type-hook': nftChainCases,
  'kernel-option': kernelOptionCases,
  'kernel-module': kernelModuleCases,
  'kernel-version': kernelVersionCases,
  'cgroup-controller': cgroupControllerCases,
  'binfmt-handler': binfmtHandlerCases,
  sysctl: sysctlCases,
  swap: swapCases,
};

const haveData = corpusAvailable() && treeAvailable('kernel-6.1') && treeAvailable('kernel-6.12');
if (haveData) {
  for (const check of CHECKS) {
    const make = TABLES[check.meta.id];
    if (make !== undefined) runCheckTable(check, make());
  }
} else {
  test('check tables (real data)', (t) => {
    need(t, false, 'the kernel-config corpus and the Debian kernel trees');
  });
}

test('every check has documentation, references, remediation and a case table', () => {
  assert.deepEqual(Object.keys(TABLES).sort(), CHECKS.map((c) => c.meta.id).sort());
  for (const c of CHECKS) {
    assert.ok(c.meta.title.length > 10 && c.meta.description.length > 100, `${c.meta.id}: documentation`);
    assert.ok(c.meta.references.length > 0 && c.meta.references.every((r) => /^https:\/\//.test(r)), `${c.meta.id}: references`);
    assert.ok(c.meta.remediation.some((r) => r.os === 'any'), `${c.meta.id}: generic remediation`);
  }
});

test('the five incident check ids of DESIGN.md exist', () => {
  const ids = CHECKS.map((c) => c.meta.id);
  for (const id of ['module-compression-support', 'iptables-backend-mismatch', 'binfmt-registration-lifetime', 'cgroup-v1-controller-missing', 'nft-chain-type-hook']) assert.ok(ids.includes(id), id);
});

test('every workload has documentation, references and sourced requirements', () => {
  const ids = BUILTIN_WORKLOADS.map((w) => w.id).sort();
  assert.deepEqual(ids, [
    'antrea', 'calico', 'cilium', 'containerd', 'flannel', 'istio-cni', 'istio-cni-nftables', 'kata-containers', 'kata-guest', 'kube-proxy-iptables',
    'kube-proxy-ipvs', 'kube-proxy-nftables', 'kube-router', 'kubelet', 'qemu-binfmt', 'submariner',
  ]);
  for (const w of BUILTIN_WORKLOADS) {
    assert.ok(w.description.length > 50, `${w.id}: description`);
    assert.ok(w.references.length > 0, `${w.id}: references`);
    assert.ok(w.requirements.length > 0, `${w.id}: requirements`);
    for (const r of w.requirements) assert.match(r.source, /^https:\/\//, `${w.id}/${r.id}: source`);
  }
});
