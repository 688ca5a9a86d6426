// `nodefit image`: facts about an image's host-facing tools; with --host, the host × image cross-checks.
import * as nodeFs from 'node:fs';
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { writeFileAtomic } from '../io.ts';
import { collectList } from '../target-options.ts';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../user-error.ts';
import type { ImageFacts } from '../../image/image-facts.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import { loadCliTarget } from '../load-cli-target.ts';

/** --host accepts one word for every target kind: "live", a root dir, a snapshot, a kernel package, a kernel config. */
export function hostTargetSpec(host: string): TargetSpec {
  if (host === 'live') return { base: { kind: 'live' } };
  let st: nodeFs.Stats;
  try {
    st = nodeFs.statSync(host);
  } catch {
    throw new UserError(`--host ${host}: no such file or directory (use "live" for this host)`);
  }
  if (st.isDirectory()) {
    // A bare /lib/modules/<release> tree is a modules target; anything else is a root.
    if (nodeFs.existsSync(`${host}/modules.dep`) || nodeFs.existsSync(`${host}/modules.order`)) return { base: { kind: 'offline' }, modulesDir: host };
    return { base: { kind: 'root', dir: host } };
  }
  if (/\.(deb|rpm)$/.test(host)) return { base: { kind: 'kernel-package', file: host } };
  if (/\.json$/.test(host)) return { base: { kind: 'snapshot', file: host } };
  return { base: { kind: 'offline' }, kernelConfig: host };
}

function yesNo(b: boolean | undefined): string {
  return b === undefined ? '?' : b ? 'yes' : 'no';
}

/** The facts as a person reads them. */
export function renderImageFacts(f: ImageFacts): string {
  const lines: string[] = [];
  const plat = f.platform === null ? 'unknown' : [f.platform.os, f.platform.architecture, f.platform.variant].filter(Boolean).join('/');
  lines.push(`image      ${f.reference} (${f.format}, ${f.layers} layer${f.layers === 1 ? '' : 's'}, ${f.files} files, ${plat})`);
  if (f.osRelease !== null) lines.push(`os         ${f.osRelease.PRETTY_NAME ?? f.osRelease.ID ?? '?'}`);
  const m = f.modprobe;
  if (m === null) lines.push(`modprobe   none on PATH (${f.path.join(':')})`);
  else {
    lines.push(`modprobe   ${m.binary.chain.join(' -> ')}`);
    lines.push(`           ${m.implementation}${m.version !== null ? ` ${m.version}` : ''}${m.featureLine !== null ? `  ${m.featureLine}` : ''}`);
    lines.push(`           decompresses: gzip ${yesNo(m.userspace.gzip)}, xz ${yesNo(m.userspace.xz)}, zstd ${yesNo(m.userspace.zstd)}; in-kernel fallback ${yesNo(m.inKernelFallback)}`);
    if (m.binary.needed !== undefined && m.binary.needed.length > 0)
      lines.push(`           needs ${m.binary.needed.map((n) => `${n.soname}${n.found === null ? ' (MISSING)' : ''}`).join(', ')}`);
    for (const d of m.binary.dlopen ?? []) lines.push(`           dlopen ${d.soname} (${d.feature})${d.found === null ? ' MISSING' : ''}`);
    for (const n of m.notes) lines.push(`           note: ${n}`);
  }
  for (const c of f.modprobeCandidates) if (m === null || c.binary.path !== m.binary.path) lines.push(`also       ${c.binary.chain.join(' -> ')} (${c.implementation}${c.version !== null ? ` ${c.version}` : ''})`);
  if (f.busybox !== null) lines.push(`busybox    ${f.busybox.path} ${f.busybox.version ?? '?'} (${f.busybox.isStatic ? 'static' : 'dynamic'}, ${f.busybox.applets.length} applets, unpackers: ${f.busybox.decompressors.join(', ') || 'none'})`);
  if (f.iptables === null) lines.push('iptables   none');
  else {
    const ipt = f.iptables;
    lines.push(`iptables   ${ipt.binary.chain.join(' -> ')} (${ipt.mode}; backends in image: ${ipt.backendsPresent.join(', ') || 'none'})`);
    if (ipt.wrapperNotInstalled) lines.push(`           iptables-wrapper shipped (${ipt.wrapperFiles.join(', ')}) but NOT installed`);
  }
  lines.push(`nft        ${f.nft ?? 'none'}`);
  for (const q of f.qemu) lines.push(`qemu       ${q.path}: emulates ${q.emulates}, runs on ${q.runsOn ?? '?'}${q.isStatic === true ? ', static' : ''}`);
  const arches = Object.entries(f.binaryArchitectures);
  if (arches.length > 0) lines.push(`binaries   ${arches.map(([p, a]) => `${p} ${a}`).join(', ')}`);
  for (const w of f.warnings) lines.push(`warning    ${w}`);
  return lines.join('\n') + '\n';
}

export const imageCommand: CommandSpec = {
  name: 'image',
  compiler: 'optimizing',
  args: '<IMG>',
  summary: "facts about an image's host-facing tools; with --host, the cross-checks",
  configure(cmd: Command) {
    cmd
      .option('--host <TARGET>', 'cross-check against this target (a root dir, snapshot, kernel package or kernel config; "live" for this host)')
      .option('--platform <P>', 'platform to pick from a multi-platform index, e.g. linux/arm64')
      .option('-w, --workload <W>', 'workloads whose modules the image loads (default: every host workload)', collectList)
      .option('-f, --format <F>', 'text or json', 'text')
      .option('-o, --output <FILE>', 'write the result to FILE');
  },
  async run(args, opts, io) {
    const ref = args[0];
    if (ref === undefined) throw new UserError('nodefit image: name an image (OCI layout dir, OCI archive, docker-save tarball, rootfs dir or tarball)');
    const format = typeof opts.format === 'string' ? opts.format : 'text';
    if (format !== 'text' && format !== 'json') throw new UserError(`unknown --format ${JSON.stringify(format)}; choose text or json`);
    const hostSpec = typeof opts.host === 'string' ? hostTargetSpec(opts.host) : undefined;
    const { loadImage } = await import('../../image/load-image.ts');
    const { facts } = await loadImage(ref, typeof opts.platform === 'string' ? { platform: opts.platform } : {});
    let text = format === 'text' ? renderImageFacts(facts) : '';
    let failed = false;
    let report;
    if (hostSpec !== undefined) {
      const { evaluate } = await import('../../engine/evaluate.ts');
      const { summarize, tripsFailOn } = await import('../../engine/report.ts');
      const snapshot = await loadCliTarget(hostSpec, io);
      const workloads = Array.isArray(opts.workload) ? opts.workload.filter((x): x is string => typeof x === 'string') : [];
      const full = evaluate(snapshot, { workloads, image: facts });
      const { IMAGE_CHECKS } = await import('../../kb/image-checks/index.ts');
      const ids = new Set(IMAGE_CHECKS.map((c) => c.meta.id));
      const findings = full.findings.filter((f) => ids.has(f.checkId));
      report = { ...full, findings, summary: summarize(findings) };
      failed = findings.some((f) => tripsFailOn(f, 'error'));
      if (format === 'text') {
        const { renderReport } = await import('../../render/index.ts');
        text += '\n' + renderReport(report, 'text', { color: false });
      }
    }
    if (format === 'json') {
      const { stableStringify } = await import('../../util/stable-json.ts');
      text = stableStringify(report === undefined ? { image: facts } : { image: facts, report }) + '\n';
    }
    const out = typeof opts.output === 'string' && opts.output !== '-' ? opts.output : undefined;
    if (out === undefined) io.stdout(text);
    else writeFileAtomic(out, text);
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};
