// Incident check (Kata agent on guest kernel 6.12): a cgroup v1 consumer on a kernel that compiled the v1 controller out.
import type { Check } from '../check.ts';
import { configEvidence, judgeRequirements, requirementLabel, requirementsOfKind } from '../requirement-eval.ts';
import { isGuestKernel } from '../guest-kernel.ts';

/** The option that keeps each controller available as v1 on newer kernels. */
const V1_OPTION: Record<string, string> = { cpuset: 'CPUSETS_V1', memory: 'MEMCG_V1' };

export const cgroupV1ControllerMissingCheck: Check = {
  meta: {
    id: 'cgroup-v1-controller-missing',
    title: 'cgroup v1 controller compiled out',
    description:
      'Linux 6.11 put the v1 memory controller behind CONFIG_MEMCG_V1 and 6.12 the v1 cpuset controller behind CONFIG_CPUSETS_V1, both default n; 6.12 also stopped listing unavailable v1 controllers in /proc/cgroups and refuses to mount them. Software that mounts v1 hierarchies breaks: the Kata Containers agent (< 3.14, guest in cgroup v1 mode) panicked with "called Option::unwrap() on a None value" because no cpuset hierarchy existed with guest kernel 6.12. The check flags workloads that need a controller as a cgroup v1 hierarchy on a kernel that lacks it.',
    defaultSeverity: 'error',
    references: [
      'https://github.com/kata-containers/kata-containers/issues/10603',
      'https://github.com/kata-containers/kata-containers/pull/10720',
      'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=e93d4166b40a',
      'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=1abab1ba0775',
      'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=af000ce85293',
    ],
    remediation: [
      { os: 'any', text: 'Run the workload on cgroup v2 (boot with systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all; Kata >= 3.14 does this for its guest), or use a kernel built with CONFIG_CPUSETS_V1=y and CONFIG_MEMCG_V1=y.' },
    ],
  },
  evaluate(ctx) {
    const reqs = requirementsOfKind(ctx, 'cgroup-controller').filter(({ req }) => req.hierarchy === 'v1');
    if (reqs.length === 0) return [{ workload: null, outcome: 'not-applicable', message: 'no selected workload mounts cgroup v1 controllers', evidence: [] }];
    const v1 = ctx.capabilities.cgroupV1Controllers;
    return judgeRequirements(ctx, reqs, ({ workload, req }) => {
      const opt = V1_OPTION[req.controller];
      const evidence = [{ fact: 'capabilities.cgroupV1Controllers', value: Array.isArray(v1.value) ? v1.value.join(' ') : String(v1.value), source: v1.reason }, ...(opt === undefined ? [] : [configEvidence(ctx, opt)])];
      const base = { workload: workload.id, requirement: req, evidence };
      if (v1.value === 'unknown') return { ...base, outcome: 'unknown', message: `v1 ${req.controller}: cgroup v1 controllers unknown (${v1.reason})` };
      if (v1.value.includes(req.controller)) return { ...base, outcome: 'pass', message: `${req.controller} can be mounted as a cgroup v1 hierarchy` };
      return {
        ...base,
        outcome: 'fail',
        message: `${req.controller} is not available as a cgroup v1 controller${opt === undefined ? '' : ` (CONFIG_${opt} is not set)`}: ${requirementLabel(req)}`,
        // a VM guest's command line is the VM runtime's to set (Kata: kernel_params), not the host boot loader's
        ...(isGuestKernel(workload) ? {} : { actions: [{ kind: 'kernel-cmdline', arg: 'systemd.unified_cgroup_hierarchy=1' }, { kind: 'kernel-cmdline', arg: 'cgroup_no_v1=all' }] }),
      };
    });
  },
};
