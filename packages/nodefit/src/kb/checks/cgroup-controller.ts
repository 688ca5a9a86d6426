// Generic requirement check: a cgroup controller a workload uses exists on cgroup v2 (or on either hierarchy).
import type { Check } from '../check.ts';
import { judgeRequirements, requirementLabel, requirementsOfKind } from '../requirement-eval.ts';

export const cgroupControllerCheck: Check = {
  meta: {
    id: 'cgroup-controller',
    title: 'cgroup controller required by a workload',
    description:
      'A workload enforces resources through cgroup controllers (cpu, memory, pids, cpuset, io). On cgroup v2 the controller must appear in the root cgroup.controllers; for "any" it may come from either hierarchy. Controllers that must be mounted as cgroup v1 hierarchies are checked by cgroup-v1-controller-missing instead.',
    defaultSeverity: 'error',
    references: ['https://docs.kernel.org/admin-guide/cgroup-v2.html', 'https://kubernetes.io/docs/concepts/architecture/cgroups/'],
    remediation: [{ os: 'any', text: 'Enable the controller in the kernel config and do not disable it on the command line (cgroup_disable=).' }],
  },
  evaluate(ctx) {
    const v1 = ctx.capabilities.cgroupV1Controllers;
    const v2 = ctx.capabilities.cgroupV2Controllers;
    const reqs = requirementsOfKind(ctx, 'cgroup-controller').filter(({ req }) => req.hierarchy !== 'v1');
    return judgeRequirements(ctx, reqs, ({ workload, req }) => {
      const sources = req.hierarchy === 'v2' ? [['v2', v2] as const] : [['v2', v2] as const, ['v1', v1] as const];
      const evidence = sources.map(([h, c]) => ({ fact: `capabilities.cgroup${h.toUpperCase()}Controllers`, value: Array.isArray(c.value) ? c.value.join(' ') : String(c.value), source: c.reason }));
      const found = sources.find(([, c]) => Array.isArray(c.value) && c.value.includes(req.controller));
      const allKnown = sources.every(([, c]) => c.value !== 'unknown');
      return {
        workload: workload.id,
        requirement: req,
        outcome: found !== undefined ? 'pass' : allKnown ? 'fail' : 'unknown',
        message:
          found !== undefined
            ? `${req.controller} controller available on cgroup ${found[0]}`
            : allKnown
              ? `${req.controller} controller not available (${requirementLabel(req)})`
              : `${req.controller} controller: cgroup controllers unknown`,
        evidence,
      };
    });
  },
};
