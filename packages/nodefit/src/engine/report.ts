// The report: findings with evidence and remediation; the `--format json` contract of DESIGN.md, which every renderer reads.
import type { Evidence } from '../capabilities/capability.ts';
import type { OsFamily } from '../facts/os/schema.ts';
import type { FixAction } from './fix-action.ts';

export const REPORT_SCHEMA_VERSION = 1;

export type Outcome = 'pass' | 'fail' | 'warn' | 'unknown' | 'not-applicable';
export type Severity = 'error' | 'warning' | 'info';
export type FailOn = 'error' | 'warning' | 'never';
export type ReportTargetKind = 'live' | 'root' | 'snapshot' | 'kernel-config' | 'kernel-package' | 'modules' | 'diff';

export interface Remediation {
  /** OS family the text applies to, or "any". */
  readonly os: OsFamily | 'any';
  readonly text: string;
}

export interface Finding {
  readonly checkId: string;
  /** The workload the finding is about, or null for host-wide checks. */
  readonly workload: string | null;
  readonly outcome: Outcome;
  readonly severity: Severity;
  readonly message: string;
  readonly evidence: readonly Evidence[];
  readonly remediation: readonly Remediation[];
  readonly references: readonly string[];
  /** Machine-usable remediation, turned into artifacts by `nodefit fix`; omitted when there is none. */
  readonly actions?: readonly FixAction[];
  /** The workload requirement (its id in the workload profile) the finding judges; omitted for check-level findings. */
  readonly requirement?: string;
}

export interface CapabilityView {
  readonly value: unknown;
  readonly reason: string;
  readonly evidence?: readonly Evidence[];
}

export interface ReportTarget {
  readonly kind: ReportTargetKind;
  readonly description: string;
  readonly kernelRelease: string | null;
  readonly os: { readonly id: string | null; readonly versionId: string | null };
  readonly capabilities: Readonly<Record<string, CapabilityView>>;
}

export interface Summary {
  readonly pass: number;
  readonly fail: number;
  readonly warn: number;
  readonly unknown: number;
  readonly notApplicable: number;
}

export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'nodefit'; readonly version: string };
  readonly target: ReportTarget;
  readonly summary: Summary;
  readonly findings: readonly Finding[];
}

export function summarize(findings: readonly Finding[]): Summary {
  const s = { pass: 0, fail: 0, warn: 0, unknown: 0, notApplicable: 0 };
  for (const f of findings) {
    if (f.outcome === 'not-applicable') s.notApplicable += 1;
    else s[f.outcome] += 1;
  }
  return s;
}

/**
 * The level a finding reaches for `--fail-on`: a failure counts at its severity, a warn outcome as a warning;
 * unknown, pass and not-applicable never fail a run (unknown is not failure).
 */
export function effectiveLevel(f: Finding): Severity | null {
  if (f.outcome === 'fail') return f.severity;
  if (f.outcome === 'warn') return f.severity === 'info' ? 'info' : 'warning';
  return null;
}

export function tripsFailOn(f: Finding, failOn: FailOn): boolean {
  const level = effectiveLevel(f);
  if (failOn === 'never' || level === null) return false;
  if (failOn === 'error') return level === 'error';
  return level === 'error' || level === 'warning';
}
