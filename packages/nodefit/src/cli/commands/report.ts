// `nodefit report`: agent mode (DaemonSet): scan this host, send the snapshot, optionally keep doing it every interval.
import * as fs from 'node:fs';
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { writeFileAtomic } from '../io.ts';
import { addTargetOptions, targetSpecFromOptions } from '../target-options.ts';
import { EXIT_OK, UserError } from '../user-error.ts';
import { loadCliTarget } from '../load-cli-target.ts';
import { oneLine } from '../one-line.ts';

/** The fields a server older than this agent dropped from the snapshot, as its answer lists them. */
function droppedBy(response: unknown): string[] {
  const d = typeof response === 'object' && response !== null ? (response as { dropped?: unknown }).dropped : undefined;
  // the server names at most 20; a longer list is not its answer to pass on whole
  return Array.isArray(d) ? d.filter((x): x is string => typeof x === 'string').slice(0, 25).map((x) => oneLine(x).slice(0, 200)) : [];
}

export const reportCommand: CommandSpec = {
  name: 'report',
  compiler: 'optimizing',
  summary: 'agent mode: scan this host and send the snapshot to a fleet server',
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .requiredOption('--server <URL>', 'fleet server base URL, e.g. http://nodefit.nodefit.svc:8080')
      .option('--token-file <F>', 'file holding the bearer token (or set NODEFIT_TOKEN)')
      .option('--interval <D>', 'repeat every D (e.g. 10m, 1h); default: once')
      .option('--node-name <NAME>', 'node name to report as (default: the host name; in Kubernetes pass spec.nodeName)')
      .option('--nfd-features <FILE>', 'also write a node-feature-discovery features.d file after each scan')
      .option('--attempts <N>', 'send attempts per scan before giving up', '6');
  },
  async run(_args, opts, io) {
    const { parseDuration } = await import('../../agent/parse-duration.ts');
    const { sendSnapshot } = await import('../../agent/send-snapshot.ts');
    const { encodeSnapshot } = await import('../../facts/snapshot-codec.ts');
    let server: URL;
    try {
      server = new URL(String(opts.server));
    } catch {
      throw new UserError(`--server ${String(opts.server)}: not a URL`);
    }
    const interval = typeof opts.interval === 'string' ? parseDuration(opts.interval) : undefined;
    if (typeof opts.interval === 'string' && interval === undefined) throw new UserError(`--interval ${opts.interval}: not a duration (e.g. 30s, 10m, 1h)`);
    const attempts = Number(opts.attempts);
    if (!Number.isInteger(attempts) || attempts < 1) throw new UserError(`--attempts ${String(opts.attempts)}: not a positive whole number`);
    let token: string | undefined;
    if (typeof opts.tokenFile === 'string') {
      try {
        token = fs.readFileSync(opts.tokenFile, 'utf8').trim();
      } catch (e) {
        throw new UserError(`--token-file ${opts.tokenFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'unreadable'}`);
      }
    } else token = io.env.NODEFIT_TOKEN;
    const spec = targetSpecFromOptions(opts);
    const nodeName = typeof opts.nodeName === 'string' ? opts.nodeName : io.env.NODE_NAME;

    const once = async (): Promise<boolean> => {
      const snap = await loadCliTarget(spec, io);
      const named = nodeName === undefined ? snap : { ...snap, target: { ...snap.target, hostname: nodeName } };
      if (typeof opts.nfdFeatures === 'string') {
        const { evaluate } = await import('../../engine/evaluate.ts');
        const { renderReport } = await import('../../render/index.ts');
        writeFileAtomic(opts.nfdFeatures, renderReport(evaluate(named), 'nfd', { color: false }));
      }
      const r = await sendSnapshot({
        server: server.toString(),
        token,
        body: JSON.stringify(encodeSnapshot(named)),
        nodeName,
        attempts,
        baseDelayMs: 1000,
        maxDelayMs: 60_000,
        log: (l) => io.stderr(`${l}\n`),
      });
      if (r.ok) {
        io.stderr(`nodefit report: sent snapshot of ${named.target.hostname ?? 'this host'} (HTTP ${r.status})\n`);
        const dropped = droppedBy(r.response);
        if (dropped.length > 0) {
          io.stderr(`nodefit report: ${server.origin} runs an older release and dropped what it has no field for: ${dropped.join(', ')}; upgrade the server to have those facts judged\n`);
        }
      }
      else io.stderr(`nodefit report: could not send to ${server.origin}: ${oneLine(r.error)}${r.status === null ? '' : ` (HTTP ${r.status})`}\n`);
      return r.ok;
    };

    if (interval === undefined) {
      if (!(await once())) throw new UserError(`could not deliver the snapshot to ${server.origin}`);
      return EXIT_OK;
    }
    for (;;) {
      await once();
      await new Promise((r) => setTimeout(r, interval));
    }
  },
};
