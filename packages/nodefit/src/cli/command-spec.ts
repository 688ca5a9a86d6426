// One CLI command as data plus a run function: run.ts registers them all; heavy code is imported lazily inside run.
import type { Command } from 'commander';
import type { CliIo } from './io.ts';

export interface CommandSpec {
  readonly name: string;
  /** e.g. "<IMG>" or "<BEFORE> <AFTER>" */
  readonly args?: string;
  readonly summary: string;
  /**
   * 'baseline' runs the command with V8's optimizing compiler off (the launcher sets --no-opt before it compiles the
   * bundle): for the short commands that read a target, whose one hot loop is the kernel config parser, optimized
   * only after the run it would speed up. The others keep it: long runs profit from it, and a short run without a
   * hot loop would only pay for loading node:v8 (~5 ms, as it brings Node's stream modules along).
   */
  readonly compiler: 'baseline' | 'optimizing';
  /** Declares the command's options on the commander Command. */
  configure(cmd: Command): void;
  /** Returns the exit code: 0 ok, 1 findings at or above --fail-on, 2 usage or input error (throw UserError for that). */
  run(args: string[], opts: Record<string, unknown>, io: CliIo): Promise<number>;
}
