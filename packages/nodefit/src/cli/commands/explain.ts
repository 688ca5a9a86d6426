// `nodefit explain`: documentation of a check (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';

import { UserError } from '../user-error.ts';

export const explainCommand: CommandSpec = {
  name: 'explain',
  args: '<CHECK_ID>',
  summary: 'documentation of a check',
  configure(cmd: Command) {
    cmd.option('-f, --format <F>', 'text or json', 'text');
  },
  run() {
    return Promise.reject(new UserError('nodefit explain is not implemented yet'));
  },
};
