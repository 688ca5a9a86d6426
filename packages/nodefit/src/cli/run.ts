// Parses argv, dispatches to a command and turns every outcome into an exit code; never calls process.exit itself.
import { Command, CommanderError } from 'commander';
import type { CommandSpec } from './command-spec.ts';
import { checkCommand } from './commands/check.ts';
import { diffCommand } from './commands/diff.ts';
import { explainCommand } from './commands/explain.ts';
import { fixCommand } from './commands/fix.ts';
import { imageCommand } from './commands/image.ts';
import { iptablesModeCommand } from './commands/iptables-mode.ts';
import { nftLintCommand } from './commands/nft-lint.ts';
import { probeCommand } from './commands/probe.ts';
import { reportCommand } from './commands/report.ts';
import { scanCommand } from './commands/scan.ts';
import { serveCommand } from './commands/serve.ts';
import { workloadsCommand } from './commands/workloads.ts';
import type { CliIo } from './io.ts';
import { mappedStack } from './mapped-stack.ts';
import { oneLine } from './one-line.ts';
import { EXIT_USAGE, UserError } from './user-error.ts';
import { TOOL } from '../version.ts';
import { HostFsError } from '../host/host-fs.ts';

export const COMMANDS: readonly CommandSpec[] = [
  checkCommand,
  scanCommand,
  diffCommand,
  imageCommand,
  probeCommand,
  nftLintCommand,
  iptablesModeCommand,
  explainCommand,
  workloadsCommand,
  fixCommand,
  serveCommand,
  reportCommand,
];

/** One line for stderr; a stack trace only with NODEFIT_DEBUG=1, because users act on the message, not the trace. */
function errorLine(e: unknown, io: CliIo): string {
  if (e instanceof UserError || e instanceof HostFsError) return `nodefit: ${oneLine(e.message)}\n`;
  const msg = oneLine(e instanceof Error ? e.message : String(e));
  const trace = io.env.NODEFIT_DEBUG === '1' && e instanceof Error && e.stack !== undefined ? `\n${mappedStack(e.stack)}` : '';
  return `nodefit: internal error: ${msg}${trace}\n`;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const program = new Command('nodefit')
    .description('Will these container workloads work on this host, or on the one we are about to roll out?')
    .version(TOOL.version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(s.startsWith('error:') ? `nodefit: ${s}` : s),
    })
    .showHelpAfterError('(run with --help for usage)');
  // Declaring every command's options costs more than a short scan reads: when the first word names a command, only
  // that one is declared. Help, typos and "did you mean" still see all of them.
  const invoked = COMMANDS.find((c) => c.name === argv[0]);
  for (const spec of invoked === undefined ? COMMANDS : [invoked]) {
    const cmd = program.command(spec.args === undefined ? spec.name : `${spec.name} ${spec.args}`).description(spec.summary);
    spec.configure(cmd);
    cmd.action(async (...actionArgs: unknown[]) => {
      const self = actionArgs[actionArgs.length - 1] as Command;
      const positional = self.args.slice(0, self.registeredArguments.length);
      exitCode = await spec.run(positional, self.opts(), io);
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every parse error is a usage error
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    io.stderr(errorLine(e, io));
    return EXIT_USAGE;
  }
}
