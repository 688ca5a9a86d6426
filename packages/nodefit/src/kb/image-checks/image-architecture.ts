// Host × image check: does the image's architecture run on the host, natively or through a registered binfmt_misc
// handler? Also flags QEMU interpreters shipped for registration that cannot run on this host.
import type { Evidence } from '../../capabilities/capability.ts';
import type { BinfmtEntry } from '../../facts/binfmt/schema.ts';
import type { Check, CheckResult } from '../check.ts';
import { ociArchOfUname, qemuNameOfArch } from '../../facts/os/arch.ts';

/** An enabled handler for `arch`: named qemu-<name>, or whose interpreter is qemu-<name>[-static]. */
export function handlerFor(entries: readonly BinfmtEntry[], arch: string): BinfmtEntry | undefined {
  const q = qemuNameOfArch(arch);
  return entries.find((e) => {
    if (!e.enabled) return false;
    const base = e.interpreter.slice(e.interpreter.lastIndexOf('/') + 1);
    return e.name === `qemu-${q}` || base === `qemu-${q}` || base === `qemu-${q}-static`;
  });
}

export const imageArchitectureCheck: Check = {
  meta: {
    id: 'image-architecture',
    title: "The image's architecture does not run on the host",
    description:
      "Compares the image's platform (config, or the ELF headers of its main binaries) with the host's architecture (uname -m). A foreign image runs only through a binfmt_misc handler for its architecture (usually QEMU user emulation); without one every exec fails with 'exec format error'. Handlers registered without the F flag also need the interpreter path to exist inside the container. QEMU interpreters the image ships for registration (qemu-*-static) must themselves be built for the host.",
    defaultSeverity: 'error',
    references: ['https://docs.kernel.org/admin-guide/binfmt-misc.html', 'https://github.com/multiarch/qemu-user-static', 'https://github.com/tonistiigi/binfmt'],
    remediation: [
      { os: 'any', text: 'Use the image variant for the host\'s architecture (--platform), or register QEMU for the image\'s architecture with the F flag (e.g. docker run --privileged tonistiigi/binfmt --install <arch>) and keep binfmt_misc mounted.' },
    ],
  },
  evaluate(ctx) {
    const image = ctx.image;
    if (image === undefined) return [];
    const hostArchFact = ctx.facts.os.arch;
    if (hostArchFact.state !== 'known') return [{ workload: null, outcome: 'unknown', message: `host architecture unknown (${hostArchFact.reason})`, evidence: [] }];
    const hostArch = ociArchOfUname(hostArchFact.value);
    const evidence: Evidence[] = [{ fact: 'os.arch', value: hostArchFact.value, source: hostArchFact.source }];
    const out: CheckResult[] = [];
    const imgArch = image.platform?.architecture;
    if (imgArch === undefined) out.push({ workload: null, outcome: 'unknown', message: `${image.reference}: platform unknown (no config and no ELF binary recognised)`, evidence });
    else {
      evidence.push({ fact: 'image.platform', value: imgArch, source: image.reference });
      for (const [p, a] of Object.entries(image.binaryArchitectures)) evidence.push({ fact: `image.binary.${p}`, value: a, source: image.reference });
      const foreignBins = Object.entries(image.binaryArchitectures).filter(([, a]) => a !== hostArch);
      if (imgArch === hostArch && foreignBins.length === 0) out.push({ workload: null, outcome: 'pass', message: `${image.reference} is ${imgArch}, like the host`, evidence });
      else {
        const arches = [...new Set([imgArch, ...foreignBins.map(([, a]) => a)].filter((a) => a !== hostArch))];
        const entries = ctx.facts.binfmt.entries;
        if (entries.state !== 'known') {
          out.push({ workload: null, outcome: 'unknown', message: `${image.reference} is ${arches.join('/')} on this ${hostArch} host, and the binfmt_misc handlers are unknown (${entries.reason})`, evidence });
        } else {
          const missing = arches.filter((a) => handlerFor(entries.value, a) === undefined);
          const what = foreignBins.length > 0 ? ` (${foreignBins.map(([p, a]) => `${p} is ${a}`).join(', ')})` : '';
          if (missing.length > 0) {
            out.push({
              workload: null,
              outcome: 'fail',
              message: `${image.reference} is ${arches.join('/')}${what} on this ${hostArch} host with no binfmt_misc handler for ${missing.map((a) => `qemu-${qemuNameOfArch(a)}`).join(', ')}: every exec fails with "exec format error"`,
              evidence,
            });
          } else {
            const hs = arches.map((a) => handlerFor(entries.value, a)!);
            for (const h of hs) evidence.push({ fact: `binfmt.entries.${h.name}`, value: `${h.interpreter} flags=${h.flags}`, source: entries.source });
            const noF = hs.filter((h) => !h.flags.includes('F'));
            out.push({
              workload: null,
              outcome: noF.length > 0 ? 'warn' : 'pass',
              message:
                noF.length > 0
                  ? `${image.reference} is ${arches.join('/')}${what}: emulated by ${noF.map((h) => h.name).join(', ')} without the F flag, so ${noF.map((h) => h.interpreter).join(', ')} must exist inside the container`
                  : `${image.reference} is ${arches.join('/')}${what}: runs emulated through ${hs.map((h) => h.name).join(', ')} (flag F)`,
              evidence,
            });
          }
        }
      }
    }
    const wrongQemu = image.qemu.filter((q) => q.runsOn !== undefined && q.runsOn !== hostArch);
    if (wrongQemu.length > 0) {
      out.push({
        workload: null,
        outcome: 'fail',
        message: `${wrongQemu.map((q) => `${q.path} (emulates ${q.emulates}) is built for ${q.runsOn}`).join(', ')}: it cannot run on this ${hostArch} host, so registering it as a binfmt handler gives nothing that works`,
        evidence: [...evidence, ...wrongQemu.map((q) => ({ fact: `image.qemu.${q.path}`, value: `runs on ${q.runsOn}, emulates ${q.emulates}`, source: image.reference }))],
      });
    }
    return out;
  },
};
