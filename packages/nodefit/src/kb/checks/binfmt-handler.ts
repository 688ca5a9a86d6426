// Generic requirement check: a binfmt_misc handler (QEMU) is registered for a foreign architecture.
import type { Check } from '../check.ts';
import { qemuRegisterString } from '../qemu-binfmt-magic.ts';
import { configOptions, judgeRequirements, requirementLabel, requirementsOfKind, targetArch } from '../requirement-eval.ts';

function matches(arch: string, nameOrPath: string): boolean {
  const base = nameOrPath.slice(nameOrPath.lastIndexOf('/') + 1);
  return new RegExp(`^qemu-${arch.replace(/[^a-z0-9_]/g, '')}(-static)?$`).test(base);
}

/** The binfmt.d line `nodefit fix --format binfmt` writes for this architecture, when QEMU's magic for it is known. */
function registerAction(arch: string): { actions?: [{ kind: 'binfmt-register'; name: string; register: string }] } {
  const register = qemuRegisterString(arch);
  return register === undefined ? {} : { actions: [{ kind: 'binfmt-register', name: `qemu-${arch}`, register }] };
}

export const binfmtHandlerCheck: Check = {
  meta: {
    id: 'binfmt-handler',
    title: 'binfmt_misc handler for a foreign architecture',
    description:
      'Running or building images for another CPU architecture needs a binfmt_misc handler (usually QEMU user emulation) registered for that architecture. The check looks for an enabled entry named qemu-<arch> or whose interpreter is qemu-<arch>[-static] in /proc/sys/fs/binfmt_misc. The host\'s own architecture needs no handler.',
    defaultSeverity: 'warning',
    references: ['https://docs.kernel.org/admin-guide/binfmt-misc.html', 'https://github.com/multiarch/qemu-user-static'],
    remediation: [
      { os: 'any', text: 'Register QEMU persistently with a binfmt.d file (systemd-binfmt) using a static interpreter and flag F.' },
      { os: 'debian', text: 'apt install qemu-user-static binfmt-support registers the handlers at boot.' },
      { os: 'ubuntu', text: 'apt install qemu-user-static binfmt-support registers the handlers at boot.' },
    ],
  },
  evaluate(ctx) {
    const b = ctx.facts.binfmt;
    const cfg = configOptions(ctx);
    // an offline target has no uname; its kernel config still says what it runs on
    const hostArch = targetArch(ctx);
    const whose = ctx.facts.os.arch.state === 'known' ? 'the host is' : 'the kernel config is built for';
    return judgeRequirements(
      ctx,
      requirementsOfKind(ctx, 'binfmt-handler'),
      ({ workload, req }) => {
        if (cfg !== null && cfg.options.get('BINFMT_MISC') !== 'y' && cfg.options.get('BINFMT_MISC') !== 'm')
          return { workload: workload.id, requirement: req, outcome: 'fail', message: `CONFIG_BINFMT_MISC is not set: no handler for ${req.arch} can be registered`, evidence: [{ fact: 'kernel.config.BINFMT_MISC', value: cfg.options.get('BINFMT_MISC') ?? '(absent)', source: cfg.source }] };
        if (b.entries.state !== 'known') return { workload: workload.id, requirement: req, outcome: 'unknown', message: `${req.arch}: binfmt_misc entries unknown (${b.entries.reason})`, evidence: [] };
        const entry = b.entries.value.find((e) => e.enabled && (matches(req.arch, e.name) || matches(req.arch, e.interpreter)));
        return entry !== undefined
          ? { workload: workload.id, requirement: req, outcome: 'pass', message: `${entry.name} → ${entry.interpreter} (flags ${entry.flags || '-'})`, evidence: [{ fact: `binfmt.entries.${entry.name}`, value: entry.interpreter, source: b.entries.source }] }
          : {
              workload: workload.id,
              requirement: req,
              outcome: 'fail',
              message: `no enabled binfmt_misc handler for ${req.arch} (${requirementLabel(req)})`,
              evidence: [{ fact: 'binfmt.entries', value: b.entries.value.map((e) => e.name).join(' ') || '(none)', source: b.entries.source }],
              ...registerAction(req.arch),
            };
      },
      (req) => (hostArch === req.arch ? `${whose} ${hostArch} itself` : null),
    );
  },
};
