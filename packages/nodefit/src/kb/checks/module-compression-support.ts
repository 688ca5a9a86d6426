// Incident check (Bottlerocket 1.20.0): compressed host modules that a workload loads with the modprobe in its own image.
import type { Evidence } from '../../capabilities/capability.ts';
import type { FixAction } from '../../engine/fix-action.ts';
import type { Check, CheckResult } from '../check.ts';
import { moduleStatus, notApplicableReason, requirementsOfKind } from '../requirement-eval.ts';

/** The library a container's kmod must be built with to read each module format itself (incidents.md, case 1). */
const LIBRARY: Record<'gzip' | 'xz' | 'zstd', string> = {
  gzip: 'kmod built with zlib (+ZLIB, and libz.so.1 in the image when kmod >= 34 dlopens it)',
  xz: 'kmod built with liblzma (+XZ)',
  zstd: 'kmod >= 28 built with libzstd (+ZSTD)',
};

/**
 * What the image's modprobe needs on this kernel. kmod >= 33 and busybox >= 1.37 hand a compressed file to
 * finit_module(MODULE_INIT_COMPRESSED_FILE) when /sys/module/compression names its format, so on a kernel that
 * decompresses the format itself no library is needed; on one that does not, only the library helps.
 */
function modprobeNeeds(comp: 'gzip' | 'xz' | 'zstd' | 'mixed', inKernel: 'none' | 'gzip' | 'xz' | 'zstd' | 'unknown'): string {
  if (comp === 'mixed') return 'support for every compression format present in the module tree';
  const busybox = comp === 'zstd' ? 'busybox >= 1.37 (which has no zstd of its own)' : 'busybox >= 1.37';
  if (inKernel === comp) return `${LIBRARY[comp]}, or kmod >= 33 / ${busybox} without it: this kernel decompresses ${comp} itself`;
  if (inKernel === 'unknown') return `${LIBRARY[comp]}, or kmod >= 33 / ${busybox} if the kernel decompresses ${comp} itself (unknown here)`;
  const other = inKernel === 'none' ? 'no format' : `only ${inKernel}`;
  return `${LIBRARY[comp]}: this kernel decompresses ${other} itself, so a newer kmod without the library does not help`;
}

export const moduleCompressionSupportCheck: Check = {
  meta: {
    id: 'module-compression-support',
    title: 'Container modprobe cannot read the host\'s compressed modules',
    description:
      'Some workloads (Cilium, Antrea) load kernel modules at start-up with the modprobe inside their own image. That modprobe only understands the compression formats its kmod (or busybox) was built with. Bottlerocket 1.20.0 switched its modules from .ko.xz to .ko.gz while Cilium\'s Ubuntu kmod had no zlib: the gzip blob was passed to finit_module as-is and the load failed with EPERM under lockdown (ENOEXEC otherwise), so the Cilium agent and Antrea\'s init container failed. The same happened with zstd in Bottlerocket 1.9.0. The host side flags required modules that are compressed and not already loaded or built in; without an image it names the modprobe capability needed (warn), with an image the host × image checks judge the image\'s modprobe.',
    defaultSeverity: 'error',
    references: [
      'https://github.com/bottlerocket-os/bottlerocket/issues/3968',
      'https://github.com/bottlerocket-os/bottlerocket/issues/3969',
      'https://github.com/bottlerocket-os/bottlerocket/pull/3861',
      'https://github.com/bottlerocket-os/bottlerocket/pull/4037',
      'https://github.com/bottlerocket-os/bottlerocket/issues/2317',
      'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=b1ae6dc41eaa',
    ],
    remediation: [
      { os: 'any', text: 'Load the modules on the host at boot (modules-load.d), so the container\'s modprobe finds them already loaded; or ship a modprobe in the image that supports the host\'s module compression.' },
      { os: 'bottlerocket', text: 'Set settings.kernel.modules.<name>.allowed = true and .autoload = true for each module, or upgrade to Bottlerocket >= 1.20.2, which bind-mounts a static kmod at /usr/local/sbin/modprobe.' },
    ],
  },
  evaluate(ctx) {
    const byWorkload = new Map<string, { module: string; state: string; detail: string; ev: readonly Evidence[] }[]>();
    let ruledOut = 0;
    for (const { workload, req } of requirementsOfKind(ctx, 'module')) {
      if (req.loadedBy !== 'container' || req.level !== 'required') continue;
      if (notApplicableReason(ctx, req) !== null) {
        ruledOut++;
        continue;
      }
      const s = moduleStatus(ctx, req);
      const list = byWorkload.get(workload.id) ?? [];
      list.push({ module: s.module, state: s.state, detail: s.detail, ev: s.evidence });
      byWorkload.set(workload.id, list);
    }
    if (byWorkload.size === 0) {
      // say so when the workloads do load modules, just none that applies to this kernel (Cilium's legacy tables on an
      // nft-only kernel): "loads no modules" would read as a statement about the workload
      const message = ruledOut > 0 ? `none of the modules the selected workloads load from their own images applies to this kernel (${ruledOut} ruled out; see kernel-module)` : 'no selected workload loads modules from its own image';
      return [{ workload: null, outcome: 'not-applicable', message, evidence: [] }];
    }
    const comp = ctx.capabilities.moduleCompression;
    const inKernel = ctx.capabilities.inKernelDecompression;
    const compEv: Evidence[] = [
      { fact: 'capabilities.moduleCompression', value: String(comp.value), source: comp.reason },
      { fact: 'capabilities.inKernelDecompression', value: String(inKernel.value), source: inKernel.reason },
    ];
    const out: CheckResult[] = [];
    for (const [workload, mods] of byWorkload) {
      const pending = mods.filter((m) => m.state !== 'builtin' && m.state !== 'loaded' && m.state !== 'missing');
      const names = pending.map((m) => m.module);
      const loadedOrBuiltin = mods.filter((m) => m.state === 'builtin' || m.state === 'loaded').map((m) => m.module);
      if (pending.length === 0) {
        out.push({ workload, outcome: 'pass', message: `every module it loads from its image is already loaded or built in (${loadedOrBuiltin.join(', ') || 'none pending'})`, evidence: compEv });
        continue;
      }
      if (comp.value === 'none') {
        out.push({ workload, outcome: 'pass', message: `host modules are not compressed; any modprobe can load ${names.join(', ')}`, evidence: compEv });
        continue;
      }
      const evidence = [...compEv, ...pending.flatMap((m) => m.ev)];
      if (comp.value === 'unknown') {
        out.push({ workload, outcome: 'unknown', message: `module compression unknown (${comp.reason}); the image's modprobe will load ${names.join(', ')}`, evidence });
        continue;
      }
      const actions: FixAction[] = names.map((module) => ({ kind: 'load-module', module }));
      out.push({
        workload,
        outcome: 'warn',
        message: `host modules are ${comp.value}-compressed and ${names.join(', ')} will be loaded by the image's modprobe: it needs ${modprobeNeeds(comp.value, inKernel.value)}; ${ctx.image === undefined ? 'check the image with --image' : 'image-modprobe-compression judges the given image'}, or pre-load these modules on the host`,
        evidence,
        actions,
      });
    }
    return out;
  },
};
