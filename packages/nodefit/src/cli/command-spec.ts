// One CLI command as data plus a run function: run.ts registers them all; heavy code is imported lazily inside run.
import type { Command } from 'commander';
import type { CliIo } from './io.ts';

export interface CommandSpec {
  readonly name: string;
  /** e.g. "<IMG>" or "<BEFORE> <AFTER>" */
  readonly args?: string;
  readonly summary: string;
  /**
   * 'short' when a run ends in well under a second (the launcher then turns V8's optimizing compiler off: its work
   * would finish after the run it speeds up); 'long' for commands that serve, loop or crunch large inputs.
   */
  readonly lifetime: 'short' | 'long';
  /** Declares the command's options on the commander Command. */
  configure(cmd: Command): void;
  /** Returns the exit code: 0 ok, 1 findings at or above --fail-on, 2 usage or input error (throw UserError for that). */
  run(args: string[], opts: Record<string, unknown>, io: CliIo): Promise<number>;
}
