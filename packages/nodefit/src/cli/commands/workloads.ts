// `nodefit workloads`: list the known workload profiles (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';

import { UserError } from '../user-error.ts';

export const workloadsCommand: CommandSpec = {
  name: 'workloads',
  summary: 'list the known workload profiles',
  configure(cmd: Command) {
    cmd.option('--kb <DIR>', 'add workload profiles from YAML files in DIR').option('-f, --format <F>', 'text or json', 'text');
  },
  run() {
    return Promise.reject(new UserError('nodefit workloads is not implemented yet'));
  },
};
