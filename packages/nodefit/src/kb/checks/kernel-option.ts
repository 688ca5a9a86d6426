// Generic requirement check: a kernel option (or one of its renamed alternatives) has an accepted value.
import type { Check, CheckContext } from '../check.ts';
import type { KernelOptionRequirement } from '../profile-types.ts';
import { absentMeansUnset, applicableOptions, configEvidence, undecidedReason, configOptions, judgeRequirements, notApplicable, requirementLabel, requirementsOfKind } from '../requirement-eval.ts';

/**
 * The options a removal folded the requirement into, as "CONFIG_A=y and CONFIG_B=y", when the config shows that
 * removal (every alternative gone from a full kconfig file, every target set); null otherwise.
 */
function foldedInto(ctx: CheckContext, cfg: { options: ReadonlyMap<string, string> }, req: KernelOptionRequirement, opts: readonly string[]): string | null {
  if (req.foldedInto === undefined || !absentMeansUnset(ctx)) return null;
  if (opts.some((o) => cfg.options.has(o))) return null;
  const set = req.foldedInto.map((o) => [o, cfg.options.get(o)] as const);
  return set.every(([, v]) => v === 'y' || v === 'm') ? set.map(([o, v]) => `CONFIG_${o}=${v}`).join(' and ') : null;
}

export const kernelOptionCheck: Check = {
  meta: {
    id: 'kernel-option',
    title: 'Kernel option required by a workload',
    description:
      'A workload profile names kernel options it needs, with alternatives where an option was renamed or split across kernel versions. The check reads the kernel config (/proc/config.gz, /boot/config-*, or --kernel-config) and passes when any alternative that exists in this kernel version is set to an accepted value (y or m unless the profile says otherwise). An option a later kernel folded into others (foldedInto in the profile) also passes when a full config lacks it entirely and has those set, as a backported removal leaves it. Without a kernel config the outcome is unknown, never a failure.',
    defaultSeverity: 'error',
    references: ['https://www.kernel.org/doc/html/latest/kbuild/kconfig.html', 'https://github.com/moby/moby/blob/master/contrib/check-config.sh'],
    remediation: [
      { os: 'any', text: 'Use a kernel built with the option (distribution kernel flavour, or rebuild with it enabled).' },
      { os: 'bottlerocket', text: 'Bottlerocket kernels are not user-configurable: pick a variant whose kernel has the option, or ask upstream.' },
      { os: 'talos', text: 'Talos kernels are fixed per release: use a release whose kernel has the option, or a custom installer image.' },
    ],
  },
  evaluate(ctx) {
    const cfg = configOptions(ctx);
    return judgeRequirements(ctx, requirementsOfKind(ctx, 'kernel-option'), ({ workload, req }) => {
      const opts = applicableOptions(ctx, req.anyOf);
      if (opts.length === 0) return notApplicable(workload, req, 'no alternative exists in this kernel version');
      const names = opts.map((o) => `CONFIG_${o}`).join(' or ');
      if (cfg === null) return { workload: workload.id, requirement: req, outcome: 'unknown', message: `${names}: kernel config unknown (${requirementLabel(req)})`, evidence: [] };
      const values = req.values ?? ['y', 'm'];
      const evidence = opts.map((o) => configEvidence(ctx, o));
      const hit = opts.find((o) => values.includes(cfg.options.get(o) ?? ''));
      const folded = hit === undefined ? foldedInto(ctx, cfg, req, opts) : null;
      if (folded !== null) {
        return { workload: workload.id, requirement: req, outcome: 'pass', message: `${names} absent: folded into ${folded}`, evidence: [...evidence, ...(req.foldedInto ?? []).map((o) => configEvidence(ctx, o))] };
      }
      const undecided = hit === undefined ? undecidedReason(ctx, req, opts.filter((o) => cfg.options.get(o) === undefined)) : null;
      if (undecided !== null) return { workload: workload.id, requirement: req, outcome: 'unknown', message: `${names}: ${undecided}`, evidence };
      return hit !== undefined
        ? { workload: workload.id, requirement: req, outcome: 'pass', message: `CONFIG_${hit}=${cfg.options.get(hit)}`, evidence }
        : {
            workload: workload.id,
            requirement: req,
            outcome: 'fail',
            message: `${names} is not ${values.join('/')} (${opts.map((o) => cfg.options.get(o) ?? 'absent').join(', ')}): ${requirementLabel(req)}`,
            evidence,
          };
    });
  },
};
