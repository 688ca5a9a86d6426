// `nodefit scan`: collect facts only and write a versioned, deterministic snapshot.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { addTargetOptions, targetSpecFromOptions } from '../target-options.ts';
import { writeFileAtomic } from '../io.ts';
import { EXIT_OK, UserError } from '../user-error.ts';
import { loadCliTarget } from '../load-cli-target.ts';

export const scanCommand: CommandSpec = {
  name: 'scan',
  compiler: 'baseline',
  summary: 'collect facts only and write a snapshot JSON',
  configure(cmd: Command) {
    addTargetOptions(cmd)
      .option('-o, --output <FILE>', 'write the snapshot to FILE instead of stdout')
      .option('--probe', 'also run the active probes (live host only; root; throwaway namespaces) and store their results');
  },
  async run(_args, opts, io) {
    const { stableStringify } = await import('../../util/stable-json.ts');
    const { encodeSnapshot } = await import('../../facts/snapshot-codec.ts');
    const spec = targetSpecFromOptions(opts);
    if (opts.probe === true && spec.base.kind !== 'live') throw new UserError('--probe asks the running kernel: it works on the live host only');
    let snapshot = await loadCliTarget(spec, io);
    if (opts.probe === true) {
      const { runProbes } = await import('../../probes/run-probes.ts');
      const cfg = snapshot.facts.kernel.config;
      const probes = runProbes({ configModules: cfg.state === 'known' ? (cfg.value.options.get('MODULES') ?? 'n') : undefined });
      snapshot = { ...snapshot, facts: { ...snapshot.facts, probes } };
    }
    const text = stableStringify(encodeSnapshot(snapshot)) + '\n';
    const out = typeof opts.output === 'string' ? opts.output : undefined;
    if (out === undefined || out === '-') io.stdout(text);
    else writeFileAtomic(out, text);
    return EXIT_OK;
  },
};
