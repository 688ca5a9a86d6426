// `nodefit probe`: opt-in active probes, only inside namespaces nodefit creates (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';

import { UserError } from '../user-error.ts';

export const probeCommand: CommandSpec = {
  name: 'probe',
  summary: 'opt-in active probes, only inside namespaces nodefit creates',
  configure(cmd: Command) {
    cmd.option('-f, --format <F>', 'text or json', 'text');
  },
  run() {
    return Promise.reject(new UserError('nodefit probe is not implemented yet'));
  },
};
