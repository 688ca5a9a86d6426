// `nodefit iptables-mode`: print nft or legacy: the backend a container on this host should use (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';

import { UserError } from '../user-error.ts';

export const iptablesModeCommand: CommandSpec = {
  name: 'iptables-mode',
  summary: 'print nft or legacy: the backend a container on this host should use',
  configure(cmd: Command) {
    cmd.option('--root <DIR>', 'host root mounted at DIR');
  },
  run() {
    return Promise.reject(new UserError('nodefit iptables-mode is not implemented yet'));
  },
};
