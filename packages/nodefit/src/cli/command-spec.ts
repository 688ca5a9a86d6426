// One CLI command as data plus a run function: run.ts registers them all; heavy code is imported lazily inside run.
import type { Command } from 'commander';
import type { CliIo } from './io.ts';

export interface CommandSpec {
  readonly name: string;
  /** e.g. "<IMG>" or "<BEFORE> <AFTER>" */
  readonly args?: string;
  readonly summary: string;
  /** Declares the command's options on the commander Command. */
  configure(cmd: Command): void;
  /** Returns the exit code: 0 ok, 1 findings at or above --fail-on, 2 usage or input error (throw UserError for that). */
  run(args: string[], opts: Record<string, unknown>, io: CliIo): Promise<number>;
}
