// `nodefit serve`: the fleet server and dashboard; its storage uses a native addon, so it is loaded only here.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { collectList } from '../target-options.ts';
import { UserError } from '../user-error.ts';

interface ServerModule {
  startServer(o: {
    db: string;
    port: number;
    host: string;
    tokenFile?: string;
    kbDirs?: readonly string[];
    env?: Readonly<Record<string, string | undefined>>;
    log?: (l: string) => void;
  }): Promise<{ close(): Promise<void> }>;
}

export const serveCommand: CommandSpec = {
  name: 'serve',
  compiler: 'optimizing',
  summary: 'fleet server and dashboard',
  configure(cmd: Command) {
    cmd
      .option('--db <URL>', 'SQLite file path or postgres://… URL (default: $NODEFIT_DB, else nodefit.db); prefer NODEFIT_DB for URLs with passwords, so they stay out of the process list')
      .option('--port <N>', 'port to listen on', '8080')
      .option('--host <ADDR>', 'address to bind', '0.0.0.0')
      .option('--token-file <F>', 'file holding the bearer token agents must send (or set NODEFIT_TOKEN)')
      .option('--kb <DIR>', 'add workload profiles from YAML files in DIR; repeatable', collectList);
  },
  async run(_args, opts, io) {
    const port = Number(opts.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port ${String(opts.port)}: not a port number`);
    let mod: ServerModule;
    try {
      // a variable specifier keeps bundlers from trying to inline the server (and its native addon)
      const name = '@nodefit/server';
      mod = (await import(name)) as ServerModule;
    } catch (e) {
      throw new UserError(`nodefit serve needs the @nodefit/server package (${e instanceof Error ? e.message : String(e)})`);
    }
    const server = await mod.startServer({
      db: typeof opts.db === 'string' ? opts.db : (io.env.NODEFIT_DB ?? 'nodefit.db'),
      port,
      host: String(opts.host),
      tokenFile: typeof opts.tokenFile === 'string' ? opts.tokenFile : undefined,
      kbDirs: Array.isArray(opts.kb) ? (opts.kb as string[]) : [],
      env: io.env,
      log: (l) => io.stderr(`${l}\n`),
    });
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        void server.close().then(resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    return 0;
  },
};
