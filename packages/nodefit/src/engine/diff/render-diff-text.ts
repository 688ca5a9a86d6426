// The human form of a diff: per workload, new failures first with the facts that moved, then fixes, then the rest.
import pc from 'picocolors';
import { printable } from '../../render/common.ts';
import type { DiffReport, FindingChange, MovedFact, WorkloadDiff } from './diff-report.ts';

export interface DiffTextOptions {
  readonly color?: boolean;
  /** Also list workloads with no change (default: only counted). */
  readonly verbose?: boolean;
}

function targetName(t: DiffReport['before']): string {
  const rel = t.kernelRelease === null ? '' : ` (kernel ${t.kernelRelease})`;
  return `${printable(t.description)}${rel}`;
}

function fact(m: MovedFact): string {
  return `${printable(m.fact)}: ${printable(m.before)} → ${printable(m.after)}`;
}

function changeLines(c: FindingChange, mark: string): string[] {
  const b = c.before === null ? 'absent' : c.before.outcome;
  const a = c.after === null ? 'absent' : c.after.outcome;
  const msg = c.after?.message ?? c.before?.message ?? '';
  const lines = [`  ${mark} ${c.checkId}: ${b} → ${a}${c.after !== null && (c.after.outcome === 'fail' || c.after.outcome === 'warn') ? ` [${c.after.severity}]` : ''}`];
  if (msg !== '') lines.push(`      ${printable(msg)}`);
  for (const m of c.movedFacts) lines.push(`      moved: ${fact(m)}`);
  return lines;
}

/** New findings that fail, and those that only warn (an optional requirement lost, a risk not yet a failure). */
function newByOutcome(changes: readonly FindingChange[]): { fails: number; warns: number } {
  const fails = changes.filter((c) => c.after?.outcome === 'fail').length;
  return { fails, warns: changes.length - fails };
}

function workloadBlock(w: WorkloadDiff, paint: ReturnType<typeof pc.createColors>): string[] {
  const name = w.workload ?? 'host-wide checks';
  const { fails, warns } = newByOutcome(w.newFailures);
  // "breaks" in the JSON covers new warnings too; a person reading BREAKS expects something to stop working
  const broken = w.status === 'breaks' ? (fails > 0 ? paint.red('BREAKS') : paint.yellow('AT RISK')) : null;
  const label = broken ?? (w.status === 'fixed' ? paint.green('FIXED') : w.status === 'changed' ? paint.yellow('CHANGED') : 'unchanged');
  const lines = [`${paint.bold(name)}: ${label} (${fails} new failure(s), ${warns} new warning(s), ${w.fixed.length} fixed, ${w.changed.length} changed, ${w.unchanged} unchanged)`];
  for (const c of w.newFailures) lines.push(...changeLines(c, c.after?.outcome === 'fail' ? paint.red('✗ new') : paint.yellow('! new')));
  for (const c of w.fixed) lines.push(...changeLines(c, paint.green('✓ fixed')));
  for (const c of w.changed) lines.push(...changeLines(c, paint.yellow('~')));
  return lines;
}

export function renderDiffText(d: DiffReport, options: DiffTextOptions = {}): string {
  const paint = pc.createColors(options.color ?? false);
  const out: string[] = [`before: ${targetName(d.before)}`, `after:  ${targetName(d.after)}`, ''];
  if (d.facts.length > 0) {
    out.push(paint.bold('What moved on the host:'));
    for (const m of d.facts) out.push(`  ${fact(m)}`);
    out.push('');
  }
  const shown = d.workloads.filter((w) => options.verbose === true || w.status !== 'unchanged');
  for (const w of shown) {
    out.push(...workloadBlock(w, paint), '');
  }
  const quiet = d.workloads.filter((w) => w.status === 'unchanged');
  if (options.verbose !== true && quiet.length > 0) {
    out.push(`unchanged: ${quiet.map((w) => w.workload ?? 'host-wide checks').join(', ')}`, '');
  }
  const s = d.summary;
  const { fails, warns } = newByOutcome(d.workloads.flatMap((w) => w.newFailures));
  out.push(`${fails} new failure(s) and ${warns} new warning(s) in ${s.workloadsBroken} workload(s), ${s.fixed} fixed, ${s.changed} changed, ${s.unchanged} unchanged`);
  return out.join('\n') + '\n';
}
