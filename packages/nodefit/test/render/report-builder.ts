// Builds Report objects by hand for renderer tests: renderers must not depend on the engine to be tested.
import type { Finding, Report, ReportTarget } from '../../src/engine/report.ts';
import { REPORT_SCHEMA_VERSION, summarize } from '../../src/engine/report.ts';

export function finding(over: Partial<Finding> & Pick<Finding, 'checkId'>): Finding {
  return {
    workload: null,
    outcome: 'pass',
    severity: 'error',
    message: `${over.checkId} is fine`,
    evidence: [],
    remediation: [],
    references: [],
    ...over,
  };
}

export function report(findings: readonly Finding[], target: Partial<ReportTarget> = {}): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'nodefit', version: '0.1.0' },
    target: {
      kind: 'kernel-config',
      description: 'node-a',
      kernelRelease: '6.12.117+deb12-amd64',
      os: { id: 'debian', versionId: '12' },
      capabilities: {},
      ...target,
    },
    summary: summarize(findings),
    findings,
  };
}

// hand-made: a report shaped like a real upgrade check, one of every outcome, remediation per OS family
export function sampleReport(target: Partial<ReportTarget> = {}): Report {
  return report(
    [
      finding({ checkId: 'containerd/kernel-config', workload: 'containerd', outcome: 'pass', message: 'CONFIG_OVERLAY_FS is set' }),
      finding({
        checkId: 'cgroup-v1-controller-missing',
        workload: 'kubelet',
        outcome: 'fail',
        severity: 'error',
        message: 'cpuset v1 controller is gone: CONFIG_CPUSETS_V1 is not set',
        evidence: [{ fact: 'kernel.config.CPUSETS_V1', value: 'not set', source: '/boot/config-6.12.117+deb12-amd64' }],
        remediation: [
          { os: 'any', text: 'Boot with cgroup v2: add systemd.unified_cgroup_hierarchy=1 to the kernel command line.' },
          { os: 'bottlerocket', text: 'Use a Bottlerocket variant with cgroup v2.' },
        ],
        references: ['https://docs.kernel.org/admin-guide/cgroup-v2.html'],
        actions: [{ kind: 'kernel-cmdline', arg: 'systemd.unified_cgroup_hierarchy=1' }],
      }),
      finding({
        checkId: 'module-compression-support',
        workload: null,
        outcome: 'unknown',
        severity: 'error',
        message: 'module compression unknown: no module tree',
        evidence: [{ fact: 'modules.files', value: 'unknown', source: '/lib/modules/6.12.117+deb12-amd64' }],
      }),
      finding({
        checkId: 'iptables-backend-mismatch',
        workload: 'calico',
        outcome: 'warn',
        severity: 'warning',
        message: 'legacy iptables rules present next to nftables',
        remediation: [{ os: 'debian', text: 'update-alternatives --set iptables /usr/sbin/iptables-nft' }],
      }),
      finding({ checkId: 'nft-chain-type-hook', workload: 'cilium', outcome: 'not-applicable', message: 'cilium declares no nft chains' }),
      finding({ checkId: 'containerd/kernel-config', workload: 'containerd', outcome: 'fail', message: 'CONFIG_VETH is not set', requirement: 'veth' }),
    ],
    {
      capabilities: {
        iptablesLegacy: { value: 'available', reason: 'CONFIG_IP_NF_IPTABLES=m' },
        moduleCompression: { value: 'xz', reason: 'CONFIG_MODULE_COMPRESS_XZ=y' },
        cgroupV1Controllers: { value: ['cpu', 'memory'], reason: 'CPUSETS_V1 not set' },
        binfmtClearsOnUnmount: { value: true, reason: '6.12 >= 6.7' },
        nftChains: {
          value: [
            { family: 'ip', type: 'route', hook: 'output', verdict: 'accepted', reason: '' },
            { family: 'ip', type: 'route', hook: 'input', verdict: 'rejected', reason: '' },
          ],
          reason: 'nf_tables chain types',
        },
      },
      ...target,
    },
  );
}
