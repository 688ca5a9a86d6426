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

/** Runs a command `runs` times (after one warm-up) and returns the median wall time; throws if it fails. */
export function timeCommand(cmd: string, args: readonly string[], runs = 15, opts: { stdout?: 'ignore' | 'pipe'; env?: NodeJS.ProcessEnv; okCodes?: number[] } = {}): Timing {
  const samples: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, [...args], { stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe'], env: opts.env ?? process.env, maxBuffer: 1 << 30 });
    const dt = performance.now() - t0;
    if (r.status === null || !(opts.okCodes ?? [0]).includes(r.status)) {
      throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 400)}`);
    }
    if (i > 0) samples.push(dt);
  }
  return summarize(samples);
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
