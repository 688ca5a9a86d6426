// The CLI's entry (bundled as dist/cli-main.cjs, started by launch.ts): runs it with the real process and exits with
// its code once all output has been written.
import { processIo } from './io.ts';
import { runCli } from './run.ts';

const io = processIo();

function finish(code: number): void {
  process.exitCode = code;
  // Every command has awaited its own work by now. Leaving through process.exit skips Node's teardown of the whole
  // JavaScript heap, which costs a short `nodefit check` a few milliseconds more than `node -e 0` spends on it. Output
  // still waiting in a stream (a non-blocking pipe that filled up) is let drain by the ordinary way out instead.
  if (io.settled()) process.exit(code);
}

runCli(process.argv.slice(2), io).then(finish, (e: unknown) => {
  io.stderr(`nodefit: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  finish(2);
});
