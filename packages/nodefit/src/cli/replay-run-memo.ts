// The executable's first step for `nodefit check`: when a run memo (run-memo.ts) was kept for exactly this invocation
// and the host still answers every one of its reads the same way, the kept report is printed and the CLI bundle is
// never loaded.
import { answersAsTraced } from '../host/fs-trace.ts';
import { RootFs } from '../host/root-fs.ts';
import { fdOutput } from './fd-output.ts';
import { readRunMemo, runMemoEnabled, runMemoKey } from './run-memo.ts';

export interface Replayed {
  readonly exitCode: number;
  /** The report has reached stdout (not still waiting in a stream for a full pipe). */
  drained(): boolean;
}

/** The replayed run, or undefined when this run has to be made (no memo, or the host changed). */
export function replayRunMemo(dir: string, uid: number): Replayed | undefined {
  const env = process.env;
  if (process.argv[2] !== 'check' || !runMemoEnabled(env)) return undefined;
  const closed = (): never => process.exit(process.exitCode ?? 0);
  const out = fdOutput({ fd: 1, stream: () => process.stdout, onClosed: closed });
  let memo;
  // the replay's failed opens (a path tried that does not exist) are answers, compared by message: no stack is wanted
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const key = runMemoKey({ argv: process.argv.slice(2), env, cwd: process.cwd(), uid, stdoutIsTTY: out.isTTY() });
    memo = readRunMemo(dir, key, uid);
    if (memo === undefined || !answersAsTraced(new RootFs(memo.root), memo.calls)) return undefined;
  } catch {
    // whatever went wrong here, the check itself will meet it and say so
    return undefined;
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (env.NODEFIT_DEBUG === '1') {
    fdOutput({ fd: 2, stream: () => process.stderr, onClosed: closed }).write(
      `nodefit: debug: ${memo.root} answered all ${memo.calls.length} reads of the last identical check as before; its report follows\n`,
    );
  }
  out.write(memo.stdout.toString('utf8'));
  process.exitCode = memo.exitCode;
  return { exitCode: memo.exitCode, drained: () => out.drained() };
}
