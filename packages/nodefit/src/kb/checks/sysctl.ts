// Generic requirement check: a sysctl a workload relies on has the expected value.
import { canonicalSysctlKey, NETFILTER_SYSCTLS } from '../../facts/netfilter/sysctl-key.ts';
import type { Check } from '../check.ts';
import { judgeRequirements, requirementLabel, requirementsOfKind } from '../requirement-eval.ts';

export const sysctlCheck: Check = {
  meta: {
    id: 'sysctl',
    title: 'sysctl value required by a workload',
    description:
      'Some workloads need a kernel parameter set, e.g. net.ipv4.ip_forward=1 for pod traffic or net.bridge.bridge-nf-call-iptables=1 so bridged pod traffic traverses iptables (that key exists only while br_netfilter is loaded). The check reads the live value from /proc/sys: the six keys container networking needs always, any other key a profile names when a live host or --root is checked (a snapshot keeps only the six, so such a key is unknown there, as is one nodefit may not read). A key that does not exist fails. Either spelling sysctl(8) takes works (net.ipv4.conf.eth0/100.rp_filter, net/ipv4/conf/eth0.100/rp_filter). For offline targets it is unknown.',
    defaultSeverity: 'error',
    references: ['https://kubernetes.io/docs/setup/production-environment/container-runtimes/', 'https://docs.kernel.org/networking/ip-sysctl.html'],
    remediation: [
      { os: 'any', text: 'Persist the value in /etc/sysctl.d/ (and load br_netfilter first for net.bridge.* keys).' },
      { os: 'bottlerocket', text: 'Set settings.kernel.sysctl."<key>" = "<value>".' },
      { os: 'talos', text: 'Set machine.sysctls in the machine config.' },
    ],
  },
  evaluate(ctx) {
    const s = ctx.facts.netfilter.sysctls;
    return judgeRequirements(ctx, requirementsOfKind(ctx, 'sysctl'), ({ workload, req }) => {
      const actions = [{ kind: 'sysctl', key: req.key, value: req.value } as const];
      // unknown offline: the action goes along so `nodefit fix` names it as undecided, never writes it
      if (s.state !== 'known') return { workload: workload.id, requirement: req, outcome: 'unknown', message: `${req.key}: value unknown (${s.reason})`, evidence: [], actions };
      const key = canonicalSysctlKey(req.key);
      const v = s.value[key];
      if (v === undefined && !(NETFILTER_SYSCTLS as readonly string[]).includes(key)) {
        // read only where a check of a live host or --root asks for it, and left out when unreadable: no verdict
        const message = `${req.key} was not read from ${s.source}: nodefit always reads ${NETFILTER_SYSCTLS.length} keys for container networking, another only where a profile asks for it on a live host or --root (a snapshot keeps none), and leaves out a key it may not read (run as root)`;
        return { workload: workload.id, requirement: req, outcome: 'unknown', message, evidence: [], actions };
      }
      const evidence = [{ fact: `netfilter.sysctls.${key}`, value: v ?? '(absent)', source: s.source }];
      if (v === req.value) return { workload: workload.id, requirement: req, outcome: 'pass', message: `${req.key} = ${v}`, evidence };
      return {
        workload: workload.id,
        requirement: req,
        outcome: 'fail',
        message: v === undefined || v === null ? `${req.key} does not exist (module not loaded?); needs ${req.value} (${requirementLabel(req)})` : `${req.key} = ${v}, needs ${req.value} (${requirementLabel(req)})`,
        evidence,
        actions,
      };
    });
  },
};
