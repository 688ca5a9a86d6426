// `nodefit fix`: remediation artifacts for the target host (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { addTargetOptions, collectList } from '../target-options.ts';
import { UserError } from '../user-error.ts';

export const fixCommand: CommandSpec = {
  name: 'fix',
  summary: 'remediation artifacts for the target host',
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .option('-w, --workload <W>', 'workload ids; repeat or comma-separate', collectList)
      .option('--kb <DIR>', 'add workload profiles from YAML files in DIR')
      .requiredOption('-f, --format <F>', 'bottlerocket, modules-load, binfmt or cmdline');
  },
  run() {
    return Promise.reject(new UserError('nodefit fix is not implemented yet'));
  },
};
