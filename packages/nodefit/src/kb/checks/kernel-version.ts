// Generic requirement check: the kernel version is in the range a workload supports.
import type { Check, CheckResult } from '../check.ts';
import { requirementLabel, requirementsOfKind } from '../requirement-eval.ts';
import { inRange } from '../version-range.ts';

export const kernelVersionCheck: Check = {
  meta: {
    id: 'kernel-version',
    title: 'Kernel version supported by a workload',
    description:
      'Some workloads state a minimum kernel version (for instance kube-proxy in nftables mode needs 5.13). The version comes from the kernel release (uname -r, package name) or the kernel config header; vendor suffixes such as el9_5 or +deb12 are ignored for the comparison. Vendor kernels backport features, so treat a failure on an old vendor kernel as a prompt to check its changelog.',
    defaultSeverity: 'error',
    references: ['https://www.kernel.org/category/releases.html'],
    remediation: [{ os: 'any', text: 'Upgrade the kernel (or the OS release) to a version in the supported range.' }],
  },
  evaluate(ctx) {
    const out: CheckResult[] = [];
    for (const { workload, req } of requirementsOfKind(ctx, 'kernel-version')) {
      const ok = inRange(ctx.kernelVersion, req.range);
      const v = ctx.kernelVersion === null ? 'unknown' : ctx.kernelVersion.join('.');
      const evidence = [{ fact: 'kernel.version', value: v, source: ctx.facts.kernel.release.state === 'known' ? ctx.facts.kernel.release.source : 'kernel config header' }];
      out.push({
        workload: workload.id,
        requirement: req,
        outcome: ok === null ? 'unknown' : ok ? 'pass' : 'fail',
        message: ok === null ? `kernel version unknown; ${requirementLabel(req)} needs ${req.range}` : `kernel ${v} ${ok ? 'is' : 'is not'} ${req.range}`,
        evidence,
      });
    }
    return out;
  },
};
