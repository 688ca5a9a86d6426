// `nodefit image`: facts about an image's host-facing tools; with --host, the cross-checks (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';

import { UserError } from '../user-error.ts';

export const imageCommand: CommandSpec = {
  name: 'image',
  args: '<IMG>',
  summary: "facts about an image's host-facing tools; with --host, the cross-checks",
  configure(cmd: Command) {
    cmd
      .option('--host <TARGET>', 'cross-check against this target (a root dir, snapshot, kernel package or kernel config; "live" for this host)')
      .option('--platform <P>', 'platform to pick from a multi-platform index, e.g. linux/arm64')
      .option('-f, --format <F>', 'text or json', 'text');
  },
  run() {
    return Promise.reject(new UserError('nodefit image is not implemented yet'));
  },
};
