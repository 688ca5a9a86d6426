// `nodefit fix`: evaluates the workloads on the target and writes the remediation artifact their failing checks ask for.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { writeFileAtomic } from '../io.ts';
import { addTargetOptions, collectList, targetSpecFromOptions } from '../target-options.ts';
import { EXIT_OK, UserError } from '../user-error.ts';
import { parseFixFormat } from '../../fix/formats.ts';
import { loadCliTarget } from '../load-cli-target.ts';


export const fixCommand: CommandSpec = {
  name: 'fix',
  compiler: 'baseline',
  summary: 'remediation artifacts for the target host',
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .option('-w, --workload <W>', 'workload ids; repeat or comma-separate', collectList)
      .option('--kb <DIR>', 'add workload profiles from YAML files in DIR')
      .requiredOption('-f, --format <F>', 'bottlerocket, modules-load, binfmt or cmdline')
      .option('-o, --output <FILE>', 'write the artifact to FILE instead of stdout');
  },
  async run(_args, opts, io) {
    const format = parseFixFormat(opts.format);
    const workloads = Array.isArray(opts.workload) ? (opts.workload as string[]) : [];
    if (workloads.length === 0) throw new UserError('name the workloads to fix for with --workload (e.g. --workload cilium,kubelet)');
    const spec = targetSpecFromOptions(opts);
    const kbDirs = typeof opts.kb === 'string' ? [opts.kb] : [];
    const { loadUserProfiles } = await import('../../kb/user-profiles.ts');
    const profiles = await loadUserProfiles(kbDirs);
    const { evaluate, knownWorkloads, selectWorkloads } = await import('../../engine/evaluate.ts');
    // unknown workload ids are a usage error, reported before the (slower) target is read
    selectWorkloads(knownWorkloads(profiles), workloads);
    const { renderFix, FixDataError } = await import('../../fix/artifacts.ts');
    const { neededActions } = await import('../../fix/collect-actions.ts');
    const snapshot = await loadCliTarget(spec, io);
    const report = evaluate(snapshot, { workloads, kbDirs, profiles });
    let text: string;
    try {
      text = renderFix(report, format, workloads);
    } catch (e) {
      if (e instanceof FixDataError) throw new UserError(`a workload profile asks for a fix nodefit will not write: ${e.message}`);
      throw e;
    }
    if (neededActions(report).length === 0) io.stderr(`nodefit: nothing to fix for ${workloads.join(', ')} on this target\n`);
    const out = typeof opts.output === 'string' ? opts.output : undefined;
    if (out === undefined || out === '-') io.stdout(text);
    else writeFileAtomic(out, text);
    return EXIT_OK;
  },
};
