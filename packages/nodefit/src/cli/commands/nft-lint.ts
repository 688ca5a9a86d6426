// `nodefit nft-lint`: validate an nft ruleset's base chains against the target kernel (STUB until its issue lands).
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { addTargetOptions } from '../target-options.ts';
import { UserError } from '../user-error.ts';

export const nftLintCommand: CommandSpec = {
  name: 'nft-lint',
  args: '<FILE>',
  summary: "validate an nft ruleset's base chains against the target kernel",
  configure(cmd: Command) {
    addTargetOptions(cmd).option('-f, --format <F>', 'text, json or sarif', 'text');
  },
  run() {
    return Promise.reject(new UserError('nodefit nft-lint is not implemented yet'));
  },
};
