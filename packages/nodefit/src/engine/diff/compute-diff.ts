// Compares two reports of the same workloads on two targets: which findings newly fail, which are fixed, which moved
// otherwise, and for each the facts behind it that changed (evidence values and capabilities).
import { capabilityValueText } from '../../render/common.ts';
import { TOOL } from '../../version.ts';
import { tripsFailOn, type FailOn, type Finding, type Report, type ReportTarget } from '../report.ts';
import { DIFF_SCHEMA_VERSION, type DiffReport, type DiffTarget, type FindingChange, type FindingSide, type MovedFact, type WorkloadDiff } from './diff-report.ts';

const ABSENT = '(absent)';

function target(t: ReportTarget): DiffTarget {
  return { kind: t.kind, description: t.description, kernelRelease: t.kernelRelease, os: { id: t.os.id, versionId: t.os.versionId } };
}

/** Capabilities and the kernel release that differ between the two targets. */
export function movedCapabilities(before: ReportTarget, after: ReportTarget): MovedFact[] {
  const out: MovedFact[] = [];
  if (before.kernelRelease !== after.kernelRelease) {
    out.push({ fact: 'kernel.release', before: before.kernelRelease ?? 'unknown', after: after.kernelRelease ?? 'unknown' });
  }
  const names = [...new Set([...Object.keys(before.capabilities), ...Object.keys(after.capabilities)])].sort();
  for (const n of names) {
    const b = before.capabilities[n];
    const a = after.capabilities[n];
    const bt = b === undefined ? ABSENT : capabilityValueText(b.value);
    const at = a === undefined ? ABSENT : capabilityValueText(a.value);
    if (bt === at) continue;
    out.push({
      fact: `capabilities.${n}`,
      before: bt,
      after: at,
      ...(b !== undefined ? { beforeSource: b.reason } : {}),
      ...(a !== undefined ? { afterSource: a.reason } : {}),
    });
  }
  return out;
}

function side(f: Finding | undefined): FindingSide | null {
  return f === undefined ? null : { outcome: f.outcome, severity: f.severity, message: f.message };
}

/** Looks a dotted fact name up on one target, for evidence that only the other side's finding cites. */
export type FactLookup = (fact: string) => string | undefined;

export interface FactLookups {
  readonly before: FactLookup;
  readonly after: FactLookup;
}

/** Evidence facts whose values differ between the two findings; a fact one side does not cite is looked up on that target. */
function movedEvidence(b: Finding | undefined, a: Finding | undefined, capabilityMoves: readonly MovedFact[], lookups: FactLookups | undefined): MovedFact[] {
  const bm = new Map((b?.evidence ?? []).map((e) => [e.fact, e] as const));
  const am = new Map((a?.evidence ?? []).map((e) => [e.fact, e] as const));
  const out: MovedFact[] = [];
  for (const fact of [...new Set([...bm.keys(), ...am.keys()])]) {
    const be = bm.get(fact);
    const ae = am.get(fact);
    if (be !== undefined && ae !== undefined && be.value === ae.value) continue;
    // a fact cited on one side only: what the other target says about it decides whether it moved
    const bv = be?.value ?? lookups?.before(fact);
    const av = ae?.value ?? lookups?.after(fact);
    if (bv === undefined || av === undefined || bv === av) continue;
    out.push({
      fact,
      before: bv,
      after: av,
      ...(be !== undefined ? { beforeSource: be.source } : {}),
      ...(ae !== undefined ? { afterSource: ae.source } : {}),
    });
  }
  // capabilities the findings lean on (named in their evidence or message) that moved between the targets
  const text = `${b?.message ?? ''} ${a?.message ?? ''} ${[...bm.keys(), ...am.keys()].join(' ')}`;
  for (const m of capabilityMoves) {
    const short = m.fact.replace(/^capabilities\./, '');
    if (text.includes(short) && !out.some((o) => o.fact === m.fact)) out.push(m);
  }
  return out;
}

const failing = (f: Finding | undefined): boolean => f !== undefined && (f.outcome === 'fail' || f.outcome === 'warn');

function keyOf(f: Finding): string {
  return `${f.checkId}\u0000${f.workload ?? ''}`;
}

/** Pairs findings by check and workload; within one (check, workload), equal messages first, then in order. */
function pairFindings(before: readonly Finding[], after: readonly Finding[]): Array<[Finding | undefined, Finding | undefined]> {
  const groups = new Map<string, { b: Finding[]; a: Finding[] }>();
  for (const f of before) {
    const g = groups.get(keyOf(f)) ?? { b: [], a: [] };
    g.b.push(f);
    groups.set(keyOf(f), g);
  }
  for (const f of after) {
    const g = groups.get(keyOf(f)) ?? { b: [], a: [] };
    g.a.push(f);
    groups.set(keyOf(f), g);
  }
  const pairs: Array<[Finding | undefined, Finding | undefined]> = [];
  for (const { b, a } of groups.values()) {
    const restA = [...a];
    const restB: Finding[] = [];
    for (const f of b) {
      const i = restA.findIndex((x) => x.message === f.message);
      if (i >= 0) {
        pairs.push([f, restA[i]]);
        restA.splice(i, 1);
      } else restB.push(f);
    }
    const n = Math.max(restB.length, restA.length);
    for (let i = 0; i < n; i++) pairs.push([restB[i], restA[i]]);
  }
  return pairs;
}

export function diffReports(before: Report, after: Report, failOn: FailOn = 'error', lookups?: FactLookups): DiffReport {
  const facts = movedCapabilities(before.target, after.target);
  const byWorkload = new Map<string, { workload: string | null; newFailures: FindingChange[]; fixed: FindingChange[]; changed: FindingChange[]; unchanged: number }>();
  const bucket = (w: string | null) => {
    const k = w ?? '\u0000host';
    let g = byWorkload.get(k);
    if (g === undefined) {
      g = { workload: w, newFailures: [], fixed: [], changed: [], unchanged: 0 };
      byWorkload.set(k, g);
    }
    return g;
  };
  for (const [b, a] of pairFindings(before.findings, after.findings)) {
    const any = (a ?? b) as Finding;
    const g = bucket(any.workload);
    const same = b !== undefined && a !== undefined && b.outcome === a.outcome && b.severity === a.severity;
    if (same) {
      g.unchanged++;
      continue;
    }
    const tripsAfter = a !== undefined && tripsFailOn(a, failOn);
    const tripsBefore = b !== undefined && tripsFailOn(b, failOn);
    const change: FindingChange = {
      checkId: any.checkId,
      workload: any.workload,
      before: side(b),
      after: side(a),
      movedFacts: movedEvidence(b, a, facts, lookups),
      trips: tripsAfter && !tripsBefore,
      references: [...new Set([...(b?.references ?? []), ...(a?.references ?? [])])],
    };
    if (failing(a) && !failing(b)) g.newFailures.push(change);
    // a move to unknown is no fix: the after side cannot tell (a kernel package has no /proc/swaps), so it is a change
    else if (failing(b) && !failing(a) && a?.outcome !== 'unknown') g.fixed.push(change);
    else g.changed.push(change);
  }
  const workloads: WorkloadDiff[] = [...byWorkload.values()]
    .map((g) => ({
      workload: g.workload,
      status: g.newFailures.length > 0 ? ('breaks' as const) : g.fixed.length > 0 ? ('fixed' as const) : g.changed.length > 0 ? ('changed' as const) : ('unchanged' as const),
      newFailures: g.newFailures,
      fixed: g.fixed,
      changed: g.changed,
      unchanged: g.unchanged,
    }))
    .sort((x, y) => {
      const rank = { breaks: 0, fixed: 1, changed: 2, unchanged: 3 } as const;
      if (rank[x.status] !== rank[y.status]) return rank[x.status] - rank[y.status];
      return (x.workload ?? '').localeCompare(y.workload ?? '');
    });
  const sum = (f: (w: WorkloadDiff) => number): number => workloads.reduce((n, w) => n + f(w), 0);
  return {
    schemaVersion: DIFF_SCHEMA_VERSION,
    kind: 'nodefit-diff',
    tool: { name: 'nodefit', version: TOOL.version },
    before: target(before.target),
    after: target(after.target),
    facts,
    summary: {
      newFailures: sum((w) => w.newFailures.length),
      fixed: sum((w) => w.fixed.length),
      changed: sum((w) => w.changed.length),
      unchanged: sum((w) => w.unchanged),
      workloadsBroken: workloads.filter((w) => w.status === 'breaks').length,
      workloadsFixed: workloads.filter((w) => w.status === 'fixed').length,
    },
    workloads,
  };
}

/** Whether the diff should fail a pipeline: some change is a new failure at or above --fail-on. */
export function diffTrips(d: DiffReport): boolean {
  return d.workloads.some((w) => w.newFailures.some((c) => c.trips) || w.changed.some((c) => c.trips));
}
