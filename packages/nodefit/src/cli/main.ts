// The CLI's entry (bundled as dist/cli-main.cjs, started by launch.ts): runs it with the real process and sets the exit
// code without cutting output short.
import { processIo } from './io.ts';
import { runCli } from './run.ts';

// `nodefit scan | head`: a reader that goes away is not an error worth a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`nodefit: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
