// `nodefit diff`: what changes for each workload between two targets (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';

import { collectList } from '../target-options.ts';
import { UserError } from '../user-error.ts';

export const diffCommand: CommandSpec = {
  name: 'diff',
  args: '<BEFORE> <AFTER>',
  summary: 'what changes for each workload between two targets',
  configure(cmd: Command) {
    cmd
      .option('-w, --workload <W>', 'workload ids (default: every known workload); repeat or comma-separate', collectList)
      .option('--kb <DIR>', 'add workload profiles from YAML files in DIR')
      .option('-f, --format <F>', 'text, json, sarif or junit', 'text')
      .option('--fail-on <LEVEL>', 'exit 1 when the upgrade introduces a failure at or above: error, warning or never', 'error');
  },
  run() {
    return Promise.reject(new UserError('nodefit diff is not implemented yet'));
  },
};
