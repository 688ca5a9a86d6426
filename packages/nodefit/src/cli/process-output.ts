// The real process's stdout and stderr as FdOutputs, shared by the CLI (io.ts) and the executable's replay of a run
// memo, so both end the same way when the reader goes away.
import { fdOutput, type FdOutput } from './fd-output.ts';

export function processOutputs(): { readonly out: FdOutput; readonly err: FdOutput } {
  // `nodefit scan | head`: a reader that goes away is not an error worth a stack trace; the exit code already decided stands
  const closed = (): never => process.exit(process.exitCode ?? 0);
  // process.stdout and process.stderr are getters that build the stream: touched only on hand-over
  const viaStream = (stream: () => NodeJS.WriteStream) => () =>
    stream().on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') closed();
      throw e;
    });
  return {
    out: fdOutput({ fd: 1, stream: viaStream(() => process.stdout), onClosed: closed }),
    err: fdOutput({ fd: 2, stream: viaStream(() => process.stderr), onClosed: closed }),
  };
}
