// `nodefit explain ID`: documentation of a check or a workload profile: what it looks at, references, remediation per OS.
import type { Command } from 'commander';
import type { CommandSpec } from '../command-spec.ts';
import { collectList } from '../target-options.ts';
import { EXIT_OK, UserError } from '../user-error.ts';
import type { Condition } from '../../kb/profile-types.ts';

function wrap(text: string, width = 100, indent = '  '): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur !== '' && indent.length + cur.length + 1 + w.length > width) {
      lines.push(indent + cur);
      cur = w;
    } else cur = cur === '' ? w : `${cur} ${w}`;
  }
  if (cur !== '') lines.push(indent + cur);
  return lines.join('\n');
}

/** A requirement's `when`, as the text after "when": one phrase per field that is set. */
function describeCondition(c: Condition): string {
  const parts: string[] = [];
  if (c.kernel !== undefined) parts.push(`kernel ${c.kernel}`);
  if (c.cgroup !== undefined) parts.push(`cgroup ${c.cgroup}`);
  if (c.iptablesLegacy !== undefined) parts.push(c.iptablesLegacy === 'available' ? 'legacy iptables in the kernel' : 'no legacy iptables in the kernel');
  if (c.arch !== undefined) parts.push(`${c.arch} hosts`);
  return parts.join(', ');
}

export const explainCommand: CommandSpec = {
  name: 'explain',
  compiler: 'optimizing',
  args: '<ID>',
  summary: 'documentation of a check or a workload profile',
  configure(cmd: Command) {
    cmd.option('-f, --format <F>', 'text or json', 'text').option('--kb <DIR>', 'add workload profiles from YAML files in DIR', collectList);
  },
  async run(args, opts, io) {
    const id = args[0] ?? '';
    const format = typeof opts.format === 'string' ? opts.format : 'text';
    if (format !== 'text' && format !== 'json') throw new UserError(`unknown --format ${JSON.stringify(format)}; choose text or json`);
    const { CHECKS } = await import('../../kb/checks/index.ts');
    const { IMAGE_CHECKS } = await import('../../kb/image-checks/index.ts');
    const { knownWorkloads } = await import('../../engine/evaluate.ts');
    const { loadUserProfiles } = await import('../../kb/user-profiles.ts');
    const kb = Array.isArray(opts.kb) ? opts.kb.filter((x): x is string => typeof x === 'string') : [];
    const workloads = knownWorkloads(await loadUserProfiles(kb));
    const checks = [...CHECKS, ...IMAGE_CHECKS];
    const check = checks.find((c) => c.meta.id === id);
    const workload = workloads.find((w) => w.id === id);
    if (check === undefined && workload === undefined)
      throw new UserError(`unknown check or workload ${JSON.stringify(id)}; checks: ${checks.map((c) => c.meta.id).join(', ')}; workloads: ${workloads.map((w) => w.id).join(', ')}`);
    if (format === 'json') {
      const doc = check !== undefined ? { kind: 'check', ...check.meta } : { kind: 'workload', ...workload! };
      io.stdout(JSON.stringify(doc, null, 2) + '\n');
      return EXIT_OK;
    }
    const lines: string[] = [];
    if (check !== undefined) {
      const m = check.meta;
      lines.push(`${m.id}: ${m.title}`, `default severity: ${m.defaultSeverity}`, '', wrap(m.description), '', 'References:');
      for (const r of m.references) lines.push(`  ${r}`);
      lines.push('', 'Remediation:');
      for (const r of m.remediation) lines.push(wrap(`[${r.os}] ${r.text}`));
    } else {
      const w = workload!;
      lines.push(`${w.id}: ${w.title}${w.origin !== undefined && w.origin !== 'builtin' ? ` (from ${w.origin})` : ''}`, '', wrap(w.description), '', 'References:');
      for (const r of w.references) lines.push(`  ${r}`);
      if (w.remediation !== undefined && w.remediation.length > 0) {
        lines.push('', 'Remediation:');
        for (const r of w.remediation) lines.push(wrap(`[${r.os}] ${r.text}`));
      }
      lines.push('', `Requirements (${w.requirements.length}):`);
      for (const r of w.requirements) {
        const what = ((): string => {
          switch (r.kind) {
            case 'kernel-option':
              return (
                r.anyOf.map((o) => (typeof o === 'string' ? `CONFIG_${o}` : `CONFIG_${o.option} (${o.kernel})`)).join(' | ') +
                (r.foldedInto === undefined ? '' : ` (or folded into ${r.foldedInto.map((o) => `CONFIG_${o}`).join(' and ')})`)
              );
            case 'module':
              return `module ${r.anyOf.join(' | ')}${r.loadedBy === 'container' ? ' (modprobe from the image)' : ''}`;
            case 'kernel-version':
              return `kernel ${r.range}`;
            case 'cgroup-controller':
              return `cgroup ${r.hierarchy} controller ${r.controller}`;
            case 'binfmt-handler':
              return `binfmt_misc handler for ${r.arch}`;
            case 'nft-chain':
              return `nft chain ${r.family} type ${r.type} hook ${r.hook}`;
            case 'iptables-backend':
              return `iptables backend ${r.backend}${r.undecidedPicks === 'legacy' ? ' (takes legacy when the host shows nothing)' : ''}`;
            case 'swap':
              return 'swap off (no area in /proc/swaps)';
            case 'sysctl':
              return `sysctl ${r.key}=${r.value}`;
          }
        })();
        const when = r.when === undefined ? '' : ` [when ${describeCondition(r.when)}]`;
        lines.push(`  ${r.level === 'required' ? 'required' : 'optional'}  ${r.id}: ${what}${when}${r.description === undefined ? '' : ` — ${r.description}`}`);
        lines.push(`            ${r.source}`);
      }
    }
    io.stdout(lines.join('\n') + '\n');
    return EXIT_OK;
  },
};
