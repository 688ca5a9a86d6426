// `nodefit diff BEFORE AFTER`: what changes for each workload between two targets (snapshot, root dir, kernel package,
// kernel config), exit 1 when the upgrade introduces a failure at or above --fail-on, so it can gate a pipeline.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { writeFileAtomic } from '../io.ts';
import { collectList } from '../target-options.ts';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../user-error.ts';

const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
type DiffFormat = (typeof FORMATS)[number];

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export const diffCommand: CommandSpec = {
  name: 'diff',
  compiler: 'baseline',
  args: '<BEFORE> <AFTER>',
  summary: 'what changes for each workload between two targets',
  configure(cmd: Command) {
    cmd
      .option('-w, --workload <W>', 'workload ids (default: every host workload); repeat or comma-separate', collectList)
      .option('--kb <DIR>', 'add workload profiles from YAML files in DIR (repeatable)', collectList)
      .option('-f, --format <F>', 'text, json, sarif or junit', 'text')
      .option('--fail-on <LEVEL>', 'exit 1 when the upgrade introduces a failure at or above: error, warning or never', 'error')
      .option('-v, --verbose', 'text: also list workloads with no change')
      .option('-o, --output <FILE>', 'write the diff to FILE');
  },
  async run(args, opts, io) {
    const [before, after] = args;
    if (before === undefined || after === undefined) throw new UserError('diff needs two targets: BEFORE AFTER');
    const format = str(opts.format) ?? 'text';
    if (!(FORMATS as readonly string[]).includes(format)) throw new UserError(`--format ${format}: diff writes ${FORMATS.join(', ')}`);
    const failOn = str(opts.failOn) ?? 'error';
    if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never') throw new UserError(`--fail-on ${failOn}: use error, warning or never`);
    const workloads = Array.isArray(opts.workload) ? (opts.workload as string[]) : undefined;
    const kbDirs = Array.isArray(opts.kb) ? (opts.kb as string[]) : [];
    const { diffTargets } = await import('../../engine/diff/run-diff.ts');
    const { diffTrips } = await import('../../engine/diff/compute-diff.ts');
    const diff = await diffTargets(before, after, {
      failOn: failOn,
      ...(workloads !== undefined ? { workloads } : {}),
      ...(kbDirs.length > 0 ? { kbDirs } : {}),
    });
    let text: string;
    switch (format as DiffFormat) {
      case 'json':
        text = JSON.stringify(diff, null, 2) + '\n';
        break;
      case 'sarif':
        text = (await import('../../engine/diff/render-diff-sarif.ts')).renderDiffSarif(diff);
        break;
      case 'junit':
        text = (await import('../../engine/diff/render-diff-junit.ts')).renderDiffJunit(diff);
        break;
      case 'text': {
        const color = io.isTTY && io.env.NO_COLOR === undefined;
        text = (await import('../../engine/diff/render-diff-text.ts')).renderDiffText(diff, { color, verbose: opts.verbose === true });
        break;
      }
    }
    const output = str(opts.output);
    if (output !== undefined) writeFileAtomic(output, text);
    else io.stdout(text);
    return diffTrips(diff) ? EXIT_FINDINGS : EXIT_OK;
  },
};
