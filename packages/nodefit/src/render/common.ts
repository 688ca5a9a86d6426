// What every renderer agrees on: finding order, grouping by workload, the OS family for remediation, value summaries.
import type { Finding, Outcome, Remediation, Report } from '../engine/report.ts';
import type { OsFamily } from '../facts/os/schema.ts';
import { osFamilyOf } from '../facts/os/os-family.ts';

/** Worst first: the reader acts on failures, so they lead every listing. */
export const OUTCOME_ORDER: readonly Outcome[] = ['fail', 'warn', 'unknown', 'pass', 'not-applicable'];

export function outcomeRank(o: Outcome): number {
  return OUTCOME_ORDER.indexOf(o);
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

/** Stable order inside a group: outcome, then severity, then check id (input order breaks ties). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        outcomeRank(a.f.outcome) - outcomeRank(b.f.outcome) ||
        SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] ||
        (a.f.checkId < b.f.checkId ? -1 : a.f.checkId > b.f.checkId ? 1 : 0) ||
        a.i - b.i,
    )
    .map((x) => x.f);
}

/** The worst outcome among findings; not-applicable when there are none. */
export function worstOutcome(findings: readonly Finding[]): Outcome {
  let best: Outcome = 'not-applicable';
  for (const f of findings) if (outcomeRank(f.outcome) < outcomeRank(best)) best = f.outcome;
  return best;
}

export interface FindingGroup {
  /** null: host-wide checks. */
  readonly workload: string | null;
  readonly verdict: Outcome;
  readonly findings: readonly Finding[];
}

/** Host-wide checks first, then workloads worst first, then by name; findings inside each group worst first. */
export function groupByWorkload(findings: readonly Finding[]): FindingGroup[] {
  const by = new Map<string | null, Finding[]>();
  for (const f of findings) {
    const list = by.get(f.workload);
    if (list === undefined) by.set(f.workload, [f]);
    else list.push(f);
  }
  const groups = [...by.entries()].map(([workload, list]) => ({
    workload,
    verdict: worstOutcome(list),
    findings: sortFindings(list),
  }));
  return groups.sort((a, b) => {
    if (a.workload === null) return -1;
    if (b.workload === null) return 1;
    return outcomeRank(a.verdict) - outcomeRank(b.verdict) || (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : 0);
  });
}

export function osFamilyOfReport(report: Report): OsFamily {
  const id = report.target.os.id;
  return id === null || id === '' ? 'other' : osFamilyOf(id, []);
}

/** The remediation for the target's OS family, else the generic ("any") text; never both, so the reader gets one answer. */
export function remediationFor(finding: Finding, family: OsFamily): readonly Remediation[] {
  const own = finding.remediation.filter((r) => r.os === family);
  if (own.length > 0) return own;
  return finding.remediation.filter((r) => r.os === 'any');
}

export function targetLabel(report: Report): string {
  const t = report.target;
  if (t.description !== '') return t.description;
  return t.kernelRelease ?? t.kind;
}

/** "3 fail, 1 warn, 2 unknown, 40 pass on <target>" (not-applicable only when there are some). */
export function summaryLine(report: Report): string {
  const s = report.summary;
  const parts = [`${s.fail} fail`, `${s.warn} warn`, `${s.unknown} unknown`, `${s.pass} pass`];
  if (s.notApplicable > 0) parts.push(`${s.notApplicable} not applicable`);
  return `${parts.join(', ')} on ${targetLabel(report)}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A capability value in a few words: scalars as they are, lists joined, matrices (nftChains) as verdict counts. */
export function capabilityValueText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'unknown';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.join(', ');
    if (value.every((v) => isRecord(v) && typeof v.verdict === 'string')) {
      const counts = new Map<string, number>();
      for (const v of value as Record<string, unknown>[]) counts.set(String(v.verdict), (counts.get(String(v.verdict)) ?? 0) + 1);
      return [...counts.entries()].map(([k, n]) => `${n} ${k}`).join(', ');
    }
    return `${value.length} entries`;
  }
  return JSON.stringify(value);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f]/;

/** Untrusted text (snapshot values) on one line without control characters: no terminal escapes, no forged lines. */
export function printable(s: string): string {
  // nearly every string is already clean: one native scan instead of a character loop in cold code
  if (!UNPRINTABLE.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += ' ';
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}
