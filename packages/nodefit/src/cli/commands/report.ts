// `nodefit report`: agent mode: scan this host and send the snapshot to a fleet server (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { addTargetOptions } from '../target-options.ts';
import { UserError } from '../user-error.ts';

export const reportCommand: CommandSpec = {
  name: 'report',
  summary: 'agent mode: scan this host and send the snapshot to a fleet server',
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .requiredOption('--server <URL>', 'fleet server base URL')
      .option('--token-file <F>', 'file holding the bearer token')
      .option('--interval <D>', 'repeat every D (e.g. 10m); default once');
  },
  run() {
    return Promise.reject(new UserError('nodefit report is not implemented yet'));
  },
};
