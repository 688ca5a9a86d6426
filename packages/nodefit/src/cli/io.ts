// What a command may touch of the outside world, injected so commands run in-process in tests and return exit codes.
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { CHURN_PROJECTIONS } from '../facts/churn.ts';
import { withProjections, type TracedCall } from '../host/fs-trace.ts';
import { processOutputs } from './process-output.ts';
import { currentUid, privateCacheDir } from './private-cache.ts';
import { processRunInputs, runMemoEnabled, runMemoKey, writeRunMemo } from './run-memo.ts';

/** Where a check keeps what its report came from (run-memo.ts); only the real process has one. */
export interface RunMemoSink {
  keep(root: string, calls: readonly TracedCall[], stdout: string, exitCode: number): void;
}

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour, progress). */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly runMemo?: RunMemoSink;
}

/** The real process's io; `settled()` says whether all output has reached its descriptors, so exiting loses none. */
export function processIo(): CliIo & { settled(): boolean } {
  const { out, err } = processOutputs();
  const cwd = process.cwd();
  const runMemo: RunMemoSink | undefined = runMemoEnabled(process.env)
    ? {
        keep(root, calls, stdout, exitCode) {
          const uid = currentUid();
          const dir = privateCacheDir(process.env, uid);
          if (dir === null) return;
          // the same inputs as the executable's replay (replay-run-memo.ts) computes its key from
          // __filename is the bundle the executable ran (launch.ts passes it in)
          const key = runMemoKey(processRunInputs(cwd, uid, out.isTTY(), typeof __filename === 'string' ? __filename : ''));
          writeRunMemo(dir, { key, root, calls: withProjections(calls, CHURN_PROJECTIONS), stdout: Buffer.from(stdout, 'utf8'), exitCode });
        },
      }
    : undefined;
  return {
    ...(runMemo === undefined ? {} : { runMemo }),
    stdout: (t) => out.write(t),
    stderr: (t) => err.write(t),
    get isTTY() {
      return out.isTTY();
    },
    env: process.env,
    cwd,
    settled: () => out.drained() && err.drained(),
  };
}

/** An io that records output, for tests. */
export function memoryIo(env: Record<string, string | undefined> = {}, cwd = process.cwd()): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    isTTY: false,
    env,
    cwd,
  };
  return io;
}

/**
 * Writes a file atomically (temp file + rename in the same directory), so a failed run never leaves a half-written
 * output behind.
 */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const dir = nodePath.dirname(nodePath.resolve(path));
  const tmp = nodePath.join(dir, `.${nodePath.basename(path)}.${process.pid}.tmp`);
  try {
    nodeFs.writeFileSync(tmp, data);
    nodeFs.renameSync(tmp, path);
  } catch (e) {
    try {
      nodeFs.rmSync(tmp, { force: true });
    } catch {
      // best effort: the original error is the one worth reporting
    }
    throw e;
  }
}
