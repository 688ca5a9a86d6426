// `nodefit workloads`: the known workload profiles (built-in plus --kb), as a table or JSON.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { collectList } from '../target-options.ts';
import { EXIT_OK, UserError } from '../user-error.ts';

export const workloadsCommand: CommandSpec = {
  name: 'workloads',
  compiler: 'optimizing',
  summary: 'list the known workload profiles',
  configure(cmd: Command) {
    cmd.option('--kb <DIR>', 'add workload profiles from YAML files in DIR', collectList).option('-f, --format <F>', 'text or json', 'text');
  },
  async run(_args, opts, io) {
    const format = typeof opts.format === 'string' ? opts.format : 'text';
    if (format !== 'text' && format !== 'json') throw new UserError(`unknown --format ${JSON.stringify(format)}; choose text or json`);
    const { knownWorkloads } = await import('../../engine/evaluate.ts');
    const { loadUserProfiles } = await import('../../kb/user-profiles.ts');
    const kb = Array.isArray(opts.kb) ? opts.kb.filter((x): x is string => typeof x === 'string') : [];
    const rows = knownWorkloads(await loadUserProfiles(kb)).map((w) => ({
      id: w.id,
      title: w.title,
      requirements: w.requirements.length,
      required: w.requirements.filter((r) => r.level === 'required').length,
      optional: w.requirements.filter((r) => r.level === 'optional').length,
      origin: w.origin ?? 'builtin',
      appliesTo: w.appliesTo ?? 'host',
    }));
    if (format === 'json') {
      io.stdout(JSON.stringify(rows, null, 2) + '\n');
      return EXIT_OK;
    }
    const head = ['ID', 'TITLE', 'REQUIRED', 'OPTIONAL', 'ORIGIN'];
    // a guest kernel's profile is not in a default check: the title says how to reach it
    const title = (r: (typeof rows)[number]) => (r.appliesTo === 'guest-kernel' ? `${r.title} (guest kernel: -w ${r.id} --kernel-config F)` : r.title);
    const table = [head, ...rows.map((r) => [r.id, title(r), String(r.required), String(r.optional), r.origin])];
    const widths = head.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    io.stdout(table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n');
    return EXIT_OK;
  },
};
