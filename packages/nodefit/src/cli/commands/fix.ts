// `nodefit fix`: evaluates the workloads on the target and writes the remediation artifact their failing checks ask for.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { writeFileAtomic } from '../io.ts';
import { addTargetOptions, collectList, targetSpecFromOptions } from '../target-options.ts';
import { EXIT_OK, UserError } from '../user-error.ts';
import { FIX_FORMATS, FORMAT_WRITES, type FixFormat, formatsWriting, parseFixFormat } from '../../fix/formats.ts';
import type { OsFamily } from '../../facts/os/schema.ts';
import type { NeededAction } from '../../fix/collect-actions.ts';
import { loadCliTarget } from '../load-cli-target.ts';
import { sysctlKeysOf } from '../../kb/profile-sysctls.ts';
import { refuseGuestProfilesOnHosts } from '../../engine/guest-kernel-target.ts';


/** What the target asked of `fix`: the actions of failing checks, the failures without one, and the undecided ones. */
export interface FixNeeds {
  readonly needed: readonly NeededAction[];
  readonly unfixed: number;
  readonly undecided: number;
}

/**
 * What stderr says when the artifact sets nothing: "nothing to fix" only when nothing failed, otherwise where the
 * needed fixes are written and how many failures no configuration fixes. Null when the artifact does set something.
 */
export function fixNote(format: FixFormat, workloads: readonly string[], needs: FixNeeds, family: OsFamily): string | null {
  const { needed, unfixed, undecided } = needs;
  if (needed.some((n) => FORMAT_WRITES[format].includes(n.action.kind))) return null;
  const forWhat = `for ${workloads.join(', ')} on this target`;
  const parts: string[] = [];
  let notWritten = false;
  if (needed.length > 0) {
    const others = [...new Set(needed.flatMap((n) => formatsWriting(n.action.kind, family)))].filter((f) => f !== format);
    notWritten = others.length === 0;
    parts.push(notWritten ? 'the fixes needed are not files nodefit writes' : `the fixes needed are written by --format ${others.join(', ')}`);
  }
  if (unfixed > 0) parts.push(`${unfixed} failed or warned check${unfixed === 1 ? ' has' : 's have'} no configuration fix`);
  if (undecided > 0) parts.push(`${undecided} fix${undecided === 1 ? '' : 'es'} could not be decided`);
  if (parts.length === 0) return `nothing to fix ${forWhat}`;
  // said once, after everything the comments list
  const named = notWritten || unfixed > 0 || undecided > 0 ? " (named in the output's comments)" : '';
  return `--format ${format} has nothing to set ${forWhat}: ${parts.join('; ')}${named}`;
}

export const fixCommand: CommandSpec = {
  name: 'fix',
  compiler: 'baseline',
  summary: 'remediation artifacts for the target host',
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .option('-w, --workload <W>', 'workload ids; repeat or comma-separate', collectList)
      .option('--kb <DIR>', 'add workload profiles from YAML files in DIR (repeatable)', collectList)
      .requiredOption('-f, --format <F>', `${FIX_FORMATS.slice(0, -1).join(', ')} or ${FIX_FORMATS[FIX_FORMATS.length - 1]!}`)
      .option('-o, --output <FILE>', 'write the artifact to FILE instead of stdout');
  },
  async run(_args, opts, io) {
    const format = parseFixFormat(opts.format);
    const workloads = Array.isArray(opts.workload) ? (opts.workload as string[]) : [];
    if (workloads.length === 0) throw new UserError('name the workloads to fix for with --workload (e.g. --workload cilium,kubelet)');
    const spec = targetSpecFromOptions(opts);
    const kbDirs = Array.isArray(opts.kb) ? (opts.kb as string[]) : [];
    const { loadUserProfiles } = await import('../../kb/user-profiles.ts');
    const profiles = await loadUserProfiles(kbDirs);
    const { evaluate, knownWorkloads, selectWorkloads } = await import('../../engine/evaluate.ts');
    // unknown workload ids are a usage error, reported before the (slower) target is read
    const selected = selectWorkloads(knownWorkloads(profiles), workloads);
    refuseGuestProfilesOnHosts(selected, spec);
    const { renderFix, FixDataError } = await import('../../fix/artifacts.ts');
    const { osFamilyOfReport } = await import('../../render/common.ts');
    const { neededActions, undecidedActions, unfixedFindings } = await import('../../fix/collect-actions.ts');
    const snapshot = await loadCliTarget(spec, io, { sysctls: sysctlKeysOf(selected) });
    const report = evaluate(snapshot, { workloads, kbDirs, profiles });
    let text: string;
    try {
      text = renderFix(report, format, workloads);
    } catch (e) {
      if (e instanceof FixDataError) throw new UserError(`a workload profile asks for a fix nodefit will not write: ${e.message}`);
      throw e;
    }
    const note = fixNote(format, workloads, { needed: neededActions(report), unfixed: unfixedFindings(report).length, undecided: undecidedActions(report).length }, osFamilyOfReport(report));
    if (note !== null) io.stderr(`nodefit: ${note}\n`);
    const out = typeof opts.output === 'string' ? opts.output : undefined;
    if (out === undefined || out === '-') io.stdout(text);
    else writeFileAtomic(out, text);
    return EXIT_OK;
  },
};
