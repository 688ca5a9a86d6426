// `nodefit probe`: opt-in active probes, only inside namespaces nodefit creates (unshare) and that die with the probe.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { collectList } from '../target-options.ts';
import { writeFileAtomic } from '../io.ts';
import { EXIT_OK, UserError } from '../user-error.ts';
import { loadCliTarget } from '../load-cli-target.ts';

export const probeCommand: CommandSpec = {
  name: 'probe',
  compiler: 'optimizing',
  summary: 'opt-in active probes, only inside namespaces nodefit creates',
  configure(cmd: Command) {
    cmd
      .option('-f, --format <F>', 'text or json', 'text')
      .option('-w, --workload <W>', 'workloads whose modules modprobe --dry-run is asked about (default: every host workload)', collectList)
      .option('-m, --module <M>', 'also ask modprobe --dry-run about module M (repeatable)', collectList)
      .option('-o, --output <FILE>', 'also write a snapshot of this host with the probe results in it (like nodefit scan)');
  },
  async run(_args, opts, io) {
    const format = typeof opts.format === 'string' ? opts.format : 'text';
    if (format !== 'text' && format !== 'json') throw new UserError(`unknown --format ${JSON.stringify(format)} for probe; choose text or json`);
    // unknown workload ids are a usage error before anything runs
    const { BUILTIN_WORKLOADS } = await import('../../kb/builtin-workloads.ts');
    const { modulesOfWorkloads } = await import('../../probes/workload-modules.ts');
    const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
    const wanted = [...new Set([...modulesOfWorkloads(BUILTIN_WORKLOADS, list(opts.workload)), ...list(opts.module)])];
    const { runProbes } = await import('../../probes/run-probes.ts');
    const { compareNftMatrix } = await import('../../probes/compare.ts');
    const { derivedNftCells } = await import('../../nft/derived-cells.ts');
    const { renderProbesText } = await import('../../probes/render.ts');
    const { stableStringify } = await import('../../util/stable-json.ts');
    const { encodeSnapshot } = await import('../../facts/snapshot-codec.ts');
    const { TOOL } = await import('../../version.ts');
    const snapshot = await loadCliTarget({ base: { kind: 'live' } }, io);
    const cfg = snapshot.facts.kernel.config;
    const probes = runProbes({
      modules: wanted.length > 0 ? wanted : undefined,
      configModules: cfg.state === 'known' ? (cfg.value.options.get('MODULES') ?? 'n') : undefined,
    });
    // the static view is derived without the probes, so the two can be compared
    const staticCells = derivedNftCells(snapshot.facts);
    const disagreements = staticCells !== undefined && probes.nftChains?.state === 'known' ? compareNftMatrix(staticCells, probes.nftChains.value) : undefined;
    const withProbes = { ...snapshot, facts: { ...snapshot.facts, probes } };
    if (typeof opts.output === 'string') writeFileAtomic(opts.output, stableStringify(encodeSnapshot(withProbes)) + '\n'); // exactly as `nodefit scan` writes
    if (format === 'json') {
      io.stdout(JSON.stringify({ schemaVersion: 1, tool: { name: 'nodefit', version: TOOL.version }, probes, staticComparison: disagreements ?? null }, null, 2) + '\n');
    } else io.stdout(renderProbesText(probes, disagreements));
    return EXIT_OK;
  },
};
