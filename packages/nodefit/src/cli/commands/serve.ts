// `nodefit serve`: fleet server and dashboard (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';

import { UserError } from '../user-error.ts';

export const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'fleet server and dashboard',
  configure(cmd: Command) {
    cmd
      .option('--db <URL>', 'SQLite file path or postgres://… URL', 'nodefit.db')
      .option('--port <N>', 'port to listen on', '8080')
      .option('--host <ADDR>', 'address to bind', '0.0.0.0')
      .option('--token-file <F>', 'file holding the bearer token agents must send');
  },
  run() {
    return Promise.reject(new UserError('nodefit serve is not implemented yet'));
  },
};
