// Gathers the fix actions of failing findings, de-duplicated, each with the workloads that need it (for comments).
import type { FixAction } from '../engine/fix-action.ts';
import type { Finding, Report } from '../engine/report.ts';

export interface NeededAction {
  readonly action: FixAction;
  /** Workload ids (or "host" for host-wide checks) whose findings asked for it, sorted. */
  readonly neededBy: readonly string[];
}

export function actionKey(a: FixAction): string {
  switch (a.kind) {
    case 'load-module':
      return `module:${a.module}`;
    case 'kernel-cmdline':
      return `cmdline:${a.arg}`;
    case 'binfmt-register':
      return `binfmt:${a.name}`;
    case 'binfmt-mount':
      return 'binfmt-mount';
    case 'sysctl':
      return `sysctl:${a.key}`;
  }
}

function collect(report: Report, outcomes: readonly string[]): NeededAction[] {
  const by = new Map<string, { action: FixAction; neededBy: Set<string> }>();
  for (const f of report.findings) {
    if (!outcomes.includes(f.outcome)) continue;
    for (const a of f.actions ?? []) {
      const k = actionKey(a);
      const entry = by.get(k) ?? { action: a, neededBy: new Set<string>() };
      entry.neededBy.add(f.workload ?? 'host');
      by.set(k, entry);
    }
  }
  return [...by.values()].map((e) => ({ action: e.action, neededBy: [...e.neededBy].sort() }));
}

/** Only fail and warn findings: a passing check asks for nothing. First occurrence wins on conflicts. */
export function neededActions(report: Report): NeededAction[] {
  return collect(report, ['fail', 'warn']);
}

/**
 * Actions of checks nodefit could not decide (e.g. whether the host keeps binfmt_misc mounted): never written as
 * configuration, only named in a comment so the operator can decide.
 */
export function undecidedActions(report: Report): NeededAction[] {
  const needed = new Set(neededActions(report).map((n) => actionKey(n.action)));
  return collect(report, ['unknown']).filter((n) => !needed.has(actionKey(n.action)));
}

/**
 * Failing and warning findings that carry no action: a kernel option the kernel was built without, an image's
 * iptables backend. No configuration file fixes them, and `fix` names them so "nothing to write" is not read as
 * "nothing wrong".
 */
export function unfixedFindings(report: Report): Finding[] {
  return report.findings.filter((f) => (f.outcome === 'fail' || f.outcome === 'warn') && (f.actions === undefined || f.actions.length === 0));
}

/** Module names as kmod spells them ([A-Za-z0-9_-]); anything else in a profile is a data error, never written out. */
export function isModuleName(m: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(m);
}

/** A sysctl value sysctl.d(5) keeps as written: printable ASCII (spaces inside, as in "4096 87380 6291456"), none around. */
export function isSysctlValue(v: string): boolean {
  return /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(v);
}

/** One kernel command-line word: printable, no whitespace or quotes (those would need quoting the boot loader may not keep). */
export function isCmdlineArg(a: string): boolean {
  return /^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a);
}
