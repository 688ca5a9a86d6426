// Host × image check (Bottlerocket 1.20.0 incident): can the modprobe inside the image decompress the host's modules?
// Facts: incidents.md case 1 (kmod feature line, kmod >= 33 / busybox >= 1.37 in-kernel fallback, EPERM under lockdown).
import type { Evidence } from '../../capabilities/capability.ts';
import type { FixAction } from '../../engine/fix-action.ts';
import type { Decompressor, ImageFacts, ModprobeFacts } from '../../image/image-facts.ts';
import type { Check, CheckContext, CheckResult } from '../check.ts';
import { moduleStatus, notApplicableReason, requirementsOfKind } from '../requirement-eval.ts';
import { describeModprobe, modprobeEvidence } from './image-evidence.ts';

type Verdict = 'ok-userspace' | 'ok-kernel' | 'ok-plain' | 'broken' | 'unknown';

/** Whether this modprobe loads a module file compressed with `c`, given what the kernel decompresses itself. */
export function modprobeHandles(m: ModprobeFacts, c: Decompressor | 'none', inKernel: string): Verdict {
  if (c === 'none') return 'ok-plain';
  if (m.userspace[c] === true) return 'ok-userspace';
  if (m.inKernelFallback && inKernel === c) return 'ok-kernel';
  if (m.userspace[c] === undefined) return 'unknown';
  return 'broken';
}

/** What the user sees when modprobe hands the kernel a compressed blob (incidents.md, "Why EPERM"). */
function symptom(ctx: CheckContext): string {
  const lock = ctx.facts.modules.lockdown;
  const sig = ctx.facts.modules.sigEnforce;
  if (lock.state === 'known' && lock.value !== 'none')
    return `modprobe will fail with "Operation not permitted" (lockdown=${lock.value}: the unreadable module counts as unsigned)`;
  if (sig.state === 'known' && sig.value) return 'modprobe will fail with "Key was rejected by service" (module.sig_enforce=1)';
  if (lock.state === 'known') return 'modprobe will fail with "Exec format error" (the kernel sees a compressed blob, not ELF)';
  return 'modprobe will fail: "Operation not permitted" under kernel lockdown, "Exec format error" without it';
}

interface ModuleRow {
  readonly module: string;
  readonly compression: Decompressor | 'none';
  readonly ev: readonly Evidence[];
}

function judge(ctx: CheckContext, image: ImageFacts, workload: string | null, mods: readonly ModuleRow[], latent: readonly string[]): CheckResult {
  const m = image.modprobe!;
  const inKernel = String(ctx.capabilities.inKernelDecompression.value);
  const evidence: Evidence[] = [
    ...modprobeEvidence(image, m),
    { fact: 'capabilities.moduleCompression', value: String(ctx.capabilities.moduleCompression.value), source: ctx.capabilities.moduleCompression.reason },
    { fact: 'capabilities.inKernelDecompression', value: inKernel, source: ctx.capabilities.inKernelDecompression.reason },
    ...mods.flatMap((r) => r.ev),
  ];
  const verdicts = mods.map((r) => ({ ...r, v: modprobeHandles(m, r.compression, inKernel) }));
  const broken = verdicts.filter((r) => r.v === 'broken');
  const unknownRows = verdicts.filter((r) => r.v === 'unknown');
  const who = `${m.binary.path}${m.binary.chain.length > 1 ? ` (-> ${m.binary.realPath})` : ''}, ${describeModprobe(m)}`;
  const latentNote = latent.length > 0 ? `; already loaded or built in, so not affected yet: ${latent.join(', ')}` : '';
  if (broken.length > 0) {
    const formats = [...new Set(broken.map((r) => r.compression))];
    const names = broken.map((r) => r.module);
    const fallback =
      formats.length === 1 && inKernel === formats[0] && !m.inKernelFallback
        ? ` The kernel decompresses ${inKernel} itself (/sys/module/compression), so kmod >= 33 or BusyBox >= 1.37 in the image would load them.`
        : '';
    const actions: FixAction[] = names.map((module) => ({ kind: 'load-module', module }));
    return {
      workload,
      outcome: 'fail',
      message: `${who} in ${image.reference} cannot decompress ${formats.join('/')} modules, and the host's ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} ${formats.join('/')}-compressed: ${symptom(ctx)}.${fallback}${latentNote}`,
      evidence,
      actions,
    };
  }
  if (unknownRows.length > 0) {
    return {
      workload,
      outcome: 'unknown',
      message: `could not tell whether ${who} decompresses ${[...new Set(unknownRows.map((r) => r.compression))].join('/')} (needed for ${unknownRows.map((r) => r.module).join(', ')})`,
      evidence,
    };
  }
  // The PATH modprobe works; a workload calling an absolute path may still reach a broken one.
  const bad = image.modprobeCandidates.filter(
    (c) => c.binary.path !== m.binary.path && c.binary.kind !== 'missing' && verdicts.some((r) => modprobeHandles(c, r.compression, inKernel) === 'broken'),
  );
  if (bad.length > 0) {
    return {
      workload,
      outcome: 'warn',
      message: `${who} (first in PATH) loads ${verdicts.map((r) => r.module).join(', ') || 'the modules'}, but ${bad.map((c) => `${c.binary.path} (${describeModprobe(c)})`).join(', ')} cannot: a workload that calls that path directly will fail (${symptom(ctx)})`,
      evidence: [...evidence, ...bad.flatMap((c) => modprobeEvidence(image, c, `image.modprobeCandidates.${c.binary.path}`))],
    };
  }
  if (verdicts.length === 0) {
    return { workload, outcome: 'pass', message: `${who}: no module it loads needs loading${latent.length > 0 ? ` (already loaded or built in: ${latent.join(', ')})` : ''}`, evidence };
  }
  const how = [...new Set(verdicts.map((r) => r.v))]
    .map((v) => (v === 'ok-userspace' ? 'decompresses them itself' : v === 'ok-kernel' ? `hands them to the kernel, which decompresses ${inKernel}` : 'needs no decompression'))
    .join('; ');
  return {
    workload,
    outcome: 'pass',
    message: `${who} loads ${verdicts.map((r) => `${r.module} (${r.compression})`).join(', ')}: ${how}${latentNote}`,
    evidence,
  };
}

export const imageModprobeCompressionCheck: Check = {
  meta: {
    id: 'image-modprobe-compression',
    title: "The image's modprobe cannot decompress the host's modules",
    description:
      "Host × image form of module-compression-support. nodefit finds the modprobe the workload runs (PATH order, /usr/local/sbin first, where Bottlerocket >= 1.20.2 mounts a static kmod; plus the absolute paths /sbin/modprobe and /usr/sbin/modprobe), reads kmod's version and compiled feature line (e.g. '+ZSTD +XZ -ZLIB') or BusyBox's version and unpackers from the binary, checks that its libraries (and, for kmod >= 34, its dlopen()ed compression libraries) exist in the image, and compares that with the compression of each module the workload loads from its image. kmod >= 33 and BusyBox >= 1.37 can also hand a compressed module to the kernel when /sys/module/compression names that format. A module the modprobe cannot read reaches finit_module as a compressed blob: under kernel lockdown that is 'Operation not permitted', otherwise 'Exec format error'.",
    defaultSeverity: 'error',
    references: [
      'https://github.com/bottlerocket-os/bottlerocket/issues/3968',
      'https://github.com/bottlerocket-os/bottlerocket/pull/3861',
      'https://github.com/bottlerocket-os/bottlerocket/pull/4037',
      'https://github.com/kmod-project/kmod/blob/master/NEWS',
      'https://git.busybox.net/busybox/commit/?id=af5277f883e8fc2e0236aa9ecc5115ecaffd0ccb',
    ],
    remediation: [
      { os: 'any', text: 'Ship a modprobe built with the host\'s module compression (kmod with zlib for .ko.gz, liblzma for .ko.xz, libzstd for .ko.zst), or kmod >= 33 on a kernel with MODULE_DECOMPRESS; or load the modules on the host at boot so the image\'s modprobe finds them loaded.' },
      { os: 'bottlerocket', text: 'Upgrade to Bottlerocket >= 1.20.2 (static kmod at /usr/local/sbin/modprobe; workloads must call modprobe through PATH, not /sbin/modprobe), or set settings.kernel.modules.<name>.allowed = true and .autoload = true.' },
    ],
  },
  evaluate(ctx) {
    const image = ctx.image;
    if (image === undefined) return [];
    if (image.modprobe === null)
      return [{ workload: null, outcome: 'not-applicable', message: `${image.reference} has no modprobe on PATH (${image.path.join(':')})`, evidence: [] }];
    const files = ctx.facts.modules.files;
    const hostComp = ctx.capabilities.moduleCompression.value;
    const rowsByWorkload = new Map<string | null, { rows: ModuleRow[]; latent: string[] }>();
    for (const { workload, req } of requirementsOfKind(ctx, 'module')) {
      if (req.loadedBy !== 'container' || notApplicableReason(ctx, req) !== null) continue;
      const s = moduleStatus(ctx, req);
      const entry = rowsByWorkload.get(workload.id) ?? { rows: [], latent: [] };
      rowsByWorkload.set(workload.id, entry);
      if (s.state === 'loaded' || s.state === 'builtin') entry.latent.push(s.module);
      if (s.state !== 'loadable') continue;
      const file = files.state === 'known' ? files.value[s.module] : undefined;
      const compression = file?.compression ?? (hostComp === 'gzip' || hostComp === 'xz' || hostComp === 'zstd' || hostComp === 'none' ? hostComp : undefined);
      if (compression === undefined) continue;
      entry.rows.push({ module: s.module, compression, ev: s.evidence });
    }
    if (rowsByWorkload.size === 0) {
      // No workload says which modules it loads: judge the formats the host's module tree uses.
      const formats = new Map<Decompressor | 'none', string>();
      if (files.state === 'known') for (const [name, f] of Object.entries(files.value)) if (!formats.has(f.compression)) formats.set(f.compression, name);
      const rows: ModuleRow[] = [...formats].map(([c, name]) => ({ module: `${name} (and every other ${c} module)`, compression: c, ev: [] }));
      if (rows.length === 0) return [{ workload: null, outcome: 'unknown', message: 'the host\'s module files are unknown and no selected workload names modules it loads from its image', evidence: [] }];
      return [judge(ctx, image, null, rows, [])];
    }
    return [...rowsByWorkload].map(([w, { rows, latent }]) => judge(ctx, image, w, rows, latent));
  },
};
