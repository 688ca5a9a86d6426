// `nodefit check`: evaluate workloads against a target and report what will break (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { addTargetOptions, collectList } from '../target-options.ts';
import { UserError } from '../user-error.ts';

export const checkCommand: CommandSpec = {
  name: 'check',
  summary: 'evaluate workloads against a target and report what will break',
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .option('-w, --workload <W>', 'workload ids to check (default: every known workload); repeat or comma-separate', collectList)
      .option('--image <IMG>', 'also cross-check a container image')
      .option('--kb <DIR>', 'add workload profiles from YAML files in DIR')
      .option('-f, --format <F>', 'text, json, sarif, junit, npd, nfd, prometheus or html', 'text')
      .option('--fail-on <LEVEL>', 'exit 1 when a finding is at or above: error, warning or never', 'error')
      .option('-o, --output <FILE>', 'write the report to FILE');
  },
  run() {
    return Promise.reject(new UserError('nodefit check is not implemented yet'));
  },
};
