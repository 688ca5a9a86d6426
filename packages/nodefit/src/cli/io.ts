// What a command may touch of the outside world, injected so commands run in-process in tests and return exit codes.
import * as nodeFs from 'node:fs';
import * as nodePath from 'node:path';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal (colour, progress). */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
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
