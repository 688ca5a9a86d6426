// Timing primitives for the benchmarks: medians of repeated runs, of whole commands or of in-process functions.
import { spawnSync } from 'node:child_process';

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
}

function summarize(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  return { medianMs: median, minMs: s[0] as number, runs: s.length };
}

type CommandOptions = { stdout?: 'ignore' | 'pipe'; env?: NodeJS.ProcessEnv; okCodes?: number[] };

/** A command, and what to do before each of its runs, untimed (change the host it reads, say). */
type Command = readonly [string, readonly string[], (() => void)?];

function runOnce(cmd: string, args: readonly string[], opts: CommandOptions): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, [...args], { stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'], env: opts.env ?? process.env, maxBuffer: 1 << 30 });
  const dt = performance.now() - t0;
  if (r.status === null || !(opts.okCodes ?? [0]).includes(r.status)) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 400)}`);
  }
  return dt;
}

/**
 * Runs the commands in turn, run after run, each once more first as a warm-up that is not counted, and returns each
 * command's median wall time; throws if one fails. A machine whose speed drifts over minutes (a shared VM does) then
 * moves all medians alike, where a baseline measured once at the start of the bench would skew every ratio made with
 * it later.
 */
function timeInTurn(commands: readonly Command[], runs: number, opts: CommandOptions): Timing[] {
  const samples: number[][] = commands.map(() => []);
  for (let i = 0; i <= runs; i++) {
    commands.forEach(([cmd, args, before], k) => {
      before?.();
      const dt = runOnce(cmd, args, opts);
      if (i > 0) samples[k]!.push(dt);
    });
  }
  return samples.map(summarize);
}

/** Runs a command `runs` times (after one warm-up) and returns the median wall time; throws if it fails. */
export function timeCommand(cmd: string, args: readonly string[], runs = 15, opts: CommandOptions = {}): Timing {
  return timeInTurn([[cmd, args]], runs, opts)[0]!;
}

/** Times `node <cmd>` and its baseline `node <base>` in turn, in one environment (see timeInTurn). */
export function timeAgainst(base: readonly string[], cmd: readonly string[], runs = 21, opts: CommandOptions = {}, before?: () => void): { base: Timing; cmd: Timing } {
  const [b, c] = timeInTurn(
    [
      [process.execPath, base],
      [process.execPath, cmd, before],
    ],
    runs,
    opts,
  );
  return { base: b!, cmd: c! };
}

/** A start-up goal row: `node <args>` within 1.5x of `node -e 0`, the two timed in turn (timeAgainst). */
export function startupRow(name: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env, before?: () => void): BenchRow {
  const t = timeAgainst(['-e', '0'], args, 21, { env }, before);
  return {
    name,
    medianMs: t.cmd.medianMs,
    baseline: { name: 'node -e 0 run in turn', medianMs: t.base.medianMs },
    target: { text: '<= 1.5x node -e 0', met: t.cmd.medianMs <= 1.5 * t.base.medianMs },
  };
}

/** Times an in-process function (after one warm-up). */
export async function timeFn(fn: () => unknown, runs = 10): Promise<Timing> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

export interface BenchRow {
  readonly name: string;
  readonly medianMs: number;
  /** What it is compared against, e.g. "node -e 0" and its median. */
  readonly baseline?: { readonly name: string; readonly medianMs: number };
  /** The goal, as text ("<= 1.5x node -e 0", "< 150 ms") and whether it was met. */
  readonly target?: { readonly text: string; readonly met: boolean };
  readonly note?: string;
}
