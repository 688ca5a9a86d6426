// `nodefit check`: evaluate workloads against a target and report what will break.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { writeFileAtomic } from '../io.ts';
import { addTargetOptions, collectList, targetSpecFromOptions } from '../target-options.ts';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../user-error.ts';
import type { FailOn } from '../../engine/report.ts';
import { loadCliTarget } from '../load-cli-target.ts';
import { TracingFs } from '../../host/fs-trace.ts';
import { MAX_RUN_MEMO_BYTES } from '../run-memo.ts';
import { sysctlKeysOf } from '../../kb/profile-sysctls.ts';
import type { RootFs } from '../../host/root-fs.ts';
import { refuseGuestProfilesOnHosts } from '../../engine/guest-kernel-target.ts';

const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'never'];

function parseFailOn(v: unknown): FailOn {
  const s = typeof v === 'string' ? v : 'error';
  if ((FAIL_ON as readonly string[]).includes(s)) return s as FailOn;
  throw new UserError(`unknown --fail-on ${JSON.stringify(s)}; choose one of ${FAIL_ON.join(', ')}`);
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

export const checkCommand: CommandSpec = {
  name: 'check',
  compiler: 'baseline',
  summary: 'evaluate workloads against a target and report what will break',
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .option('-w, --workload <W>', 'workload ids to check (default: every host workload; a guest kernel\'s only by id); repeat or comma-separate', collectList)
      .option('--image <IMG>', 'also cross-check a container image (OCI layout or archive, docker-save tarball, rootfs)')
      .option('--platform <P>', 'with --image: the platform to pick from a multi-platform image, e.g. linux/arm64 (default: the target\'s architecture)')
      .option('--kb <DIR>', 'add workload profiles from YAML files in DIR (repeatable)', collectList)
      .option('-f, --format <F>', 'text, json, sarif, junit, npd, nfd, prometheus or html', 'text')
      .option('--fail-on <LEVEL>', 'exit 1 when a finding is at or above: error, warning or never', 'error')
      .option('-o, --output <FILE>', 'write the report to FILE');
  },
  async run(_args, opts, io) {
    // Validate cheap options before collecting anything.
    const { parseFormat, renderReport, npdExitCode } = await import('../../render/index.ts');
    const format = parseFormat(typeof opts.format === 'string' ? opts.format : 'text');
    const failOn = parseFailOn(opts.failOn);
    const spec = targetSpecFromOptions(opts);
    const kbDirs = strings(opts.kb);
    const { loadUserProfiles } = await import('../../kb/user-profiles.ts');
    const profiles = await loadUserProfiles(kbDirs);
    const { evaluate, knownWorkloads, selectWorkloads } = await import('../../engine/evaluate.ts');
    const workloads = strings(opts.workload);
    // Unknown workload ids are a usage error: report them before the (slower) target is read.
    const selected = selectWorkloads(knownWorkloads(profiles), workloads);
    refuseGuestProfilesOnHosts(selected, spec);
    // a --kb profile may need a sysctl nodefit does not read by default (vm.max_map_count)
    const sysctls = sysctlKeysOf(selected);

    const out = typeof opts.output === 'string' && opts.output !== '-' ? opts.output : undefined;
    // A report to stdout from a live host or a --root alone is kept with every answer the host gave (run-memo.ts):
    // other inputs (a kernel config, a module tree, an image, --kb profiles) are files the memo does not watch.
    const memoable =
      io.runMemo !== undefined && (spec.base.kind === 'live' || spec.base.kind === 'root') && spec.kernelConfig === undefined && spec.modulesDir === undefined && opts.image === undefined && kbDirs.length === 0 && out === undefined;
    let traced: { root: string; fs: TracingFs } | undefined;
    const readThrough = memoable
      ? (fs: RootFs) => {
          traced = { root: fs.root, fs: new TracingFs(fs, MAX_RUN_MEMO_BYTES) };
          return traced.fs;
        }
      : undefined;
    const snapshot = await loadCliTarget(spec, io, { sysctls, ...(readThrough === undefined ? {} : { readThrough }) });
    let image;
    if (typeof opts.image === 'string') {
      const { loadImage } = await import('../../image/load-image.ts');
      // the image that would run on the target: its architecture, not this machine's, picks from a multi-platform index
      const arch = snapshot.facts.os.arch.state === 'known' ? snapshot.facts.os.arch.value : undefined;
      const { ociArchOfUname } = await import('../../facts/os/arch.ts');
      const platform = typeof opts.platform === 'string' ? opts.platform : arch !== undefined ? `linux/${ociArchOfUname(arch)}` : undefined;
      image = (await loadImage(opts.image, platform === undefined ? {} : { platform })).facts;
    }
    const report = evaluate(snapshot, { workloads, kbDirs, profiles, ...(image === undefined ? {} : { image }) });

    const color = out === undefined && io.isTTY && (io.env.NO_COLOR === undefined || io.env.NO_COLOR === '') && format === 'text';
    const text = renderReport(report, format, { color });
    if (out === undefined) io.stdout(text);
    else writeFileAtomic(out, text);

    const { tripsFailOn } = await import('../../engine/report.ts');
    const code = format === 'npd' ? npdExitCode(report) : report.findings.some((f) => tripsFailOn(f, failOn)) ? EXIT_FINDINGS : EXIT_OK;
    if (traced !== undefined && !traced.fs.unusable) io.runMemo?.keep(traced.root, traced.fs.calls, text, code);
    return code;
  },
};
