// The executable's first step for `nodefit check`: when a run memo (run-memo.ts) was kept for exactly this invocation
// and the host still answers every one of its reads the same way (pod churn aside, facts/churn.ts), the kept report
// is printed and the CLI bundle is never loaded.
import { CHURN_PROJECTIONS } from '../facts/churn.ts';
import { retrace, type Retrace } from '../host/fs-trace.ts';
import { RootFs } from '../host/root-fs.ts';
import { oneLine } from './one-line.ts';
import { processOutputs } from './process-output.ts';
import { processRunInputs, readRunMemo, runMemoEnabled, runMemoKey, touchRunMemo } from './run-memo.ts';
import { EXIT_USAGE } from './user-error.ts';

export interface Replayed {
  readonly exitCode: number;
  /** The report has reached stdout (not still waiting in a stream for a full pipe). */
  drained(): boolean;
}

/** The replayed run, or undefined when this run has to be made (no memo, or the host changed). `bundle`: cli-main.cjs. */
export function replayRunMemo(dir: string, uid: number, bundle: string): Replayed | undefined {
  const env = process.env;
  if (process.argv[2] !== 'check' || !runMemoEnabled(env)) return undefined;
  const { out, err } = processOutputs();
  let memo;
  let key;
  let answered: Retrace;
  // the replay's failed opens (a path tried that does not exist) are answers, compared by message: no stack is wanted
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    key = runMemoKey(processRunInputs(process.cwd(), uid, out.isTTY(), bundle));
    memo = readRunMemo(dir, key, uid);
    if (memo === undefined) return undefined;
    answered = retrace(new RootFs(memo.root), memo.calls, CHURN_PROJECTIONS);
    if (!answered.same) return undefined;
  } catch {
    // whatever went wrong here, the check itself will meet it and say so
    return undefined;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  touchRunMemo(dir, key);
  let exitCode = memo.exitCode;
  try {
    if (env.NODEFIT_DEBUG === '1') {
      const churned = answered.same && answered.projected.length > 0 ? ` (${[...new Set(answered.projected)].join(', ')} changed only in what nodefit does not keep of them)` : '';
      err.write(`nodefit: debug: ${memo.root} answered all ${memo.calls.length} reads of the last identical check as before${churned}; its report follows\n`);
    }
    out.write(memo.stdout.toString('utf8'));
  } catch (e) {
    // as the CLI reports a failed write of its report (run.ts errorLine): one line, EXIT_USAGE
    exitCode = EXIT_USAGE;
    try {
      err.write(`nodefit: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    } catch {
      // stderr is gone too: the exit code is all that is left to say it
    }
  }
  process.exitCode = exitCode;
  return { exitCode, drained: () => out.drained() && err.drained() };
}
