// Generic requirement check: a kernel module a workload needs is built in, loaded, or loadable.
import type { FixAction } from '../../engine/fix-action.ts';
import type { Check } from '../check.ts';
import { judgeRequirements, moduleStatus, requirementLabel, requirementsOfKind } from '../requirement-eval.ts';

export const kernelModuleCheck: Check = {
  meta: {
    id: 'kernel-module',
    title: 'Kernel module required by a workload',
    description:
      'A workload needs a kernel module. It is available when it is built in (modules.builtin or CONFIG_X=y), already loaded (/proc/modules), or loadable: the module file exists, it is not disabled by an "install <module> /bin/true" override, and module loading is not disabled (CONFIG_MODULES unset or kernel.modules_disabled=1). A blacklist entry only stops alias-based autoloading; an explicit modprobe still loads the module. Without a module tree the kernel config decides (y: built in, m: a module).',
    defaultSeverity: 'error',
    references: ['https://man7.org/linux/man-pages/man5/modprobe.d.5.html', 'https://docs.kernel.org/admin-guide/sysctl/kernel.html#modules-disabled'],
    remediation: [
      { os: 'any', text: 'If the module is not built, use a kernel that builds it (the message names the config option). If it is disabled, remove the install override or allow module loading; to have it loaded at boot, list it in /etc/modules-load.d/.' },
      { os: 'bottlerocket', text: 'Set settings.kernel.modules.<name>.allowed = true and settings.kernel.modules.<name>.autoload = true.' },
      { os: 'talos', text: 'Add the module under machine.kernel.modules in the machine config.' },
      { os: 'flatcar', text: 'Add the module to /etc/modules-load.d/ through Ignition (storage.files).' },
    ],
  },
  evaluate(ctx) {
    return judgeRequirements(ctx, requirementsOfKind(ctx, 'module'), ({ workload, req }) => {
      const s = moduleStatus(ctx, req);
      const base = { workload: workload.id, requirement: req, evidence: s.evidence };
      switch (s.state) {
        case 'builtin':
        case 'loaded':
        case 'loadable':
          return { ...base, outcome: 'pass', message: s.detail };
        case 'unknown':
          return { ...base, outcome: 'unknown', message: `${req.anyOf.join(' / ')}: ${s.detail}` };
        case 'disabled': {
          const actions: FixAction[] = [{ kind: 'load-module', module: s.module }];
          return { ...base, outcome: 'fail', message: `${s.detail}: ${requirementLabel(req)}`, actions };
        }
        case 'missing':
          return { ...base, outcome: 'fail', message: `module not available: ${s.detail}: ${requirementLabel(req)}` };
      }
    });
  },
};
