// What a command may touch of the outside world, injected so commands run in-process in tests and return exit codes.
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';
import { fdOutput } from './fd-output.ts';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour, progress). */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The real process's io; `settled()` says whether all output has reached its descriptors, so exiting loses none. */
export function processIo(): CliIo & { settled(): boolean } {
  // `nodefit scan | head`: a reader that goes away is not an error worth a stack trace; the exit code already decided stands
  const closed = (): never => process.exit(process.exitCode ?? 0);
  // process.stdout and process.stderr are getters that build the stream: touched only on hand-over
  const viaStream = (stream: () => NodeJS.WriteStream) => () =>
    stream().on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') closed();
      throw e;
    });
  const out = fdOutput({ fd: 1, stream: viaStream(() => process.stdout), onClosed: closed });
  const err = fdOutput({ fd: 2, stream: viaStream(() => process.stderr), onClosed: closed });
  return {
    stdout: (t) => out.write(t),
    stderr: (t) => err.write(t),
    get isTTY() {
      return out.isTTY();
    },
    env: process.env,
    cwd: process.cwd(),
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
