// SARIF 2.1.0 for a diff: one result per change, with baselineState (new / absent / updated) as code-scanning
// dashboards understand upgrades: a new failure is "new", a fixed one "absent", any other move "updated".
import type * as Sarif from 'sarif';
import type { DiffReport, FindingChange } from './diff-report.ts';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function level(c: FindingChange): Sarif.Result.level {
  const s = c.after ?? c.before;
  if (s === null || (s.outcome !== 'fail' && s.outcome !== 'warn')) return 'note';
  return s.severity === 'error' && s.outcome === 'fail' ? 'error' : s.severity === 'info' ? 'note' : 'warning';
}

export function diffSarifLog(d: DiffReport): Sarif.Log {
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Sarif.Result[] = [];
  const add = (c: FindingChange, baselineState: Sarif.Result.baselineState, kind: Sarif.Result.kind): void => {
    let idx = ruleIndex.get(c.checkId);
    if (idx === undefined) {
      idx = rules.length;
      ruleIndex.set(c.checkId, idx);
      const rule: Sarif.ReportingDescriptor = { id: c.checkId, shortDescription: { text: c.checkId } };
      if (c.references[0] !== undefined) rule.helpUri = c.references[0];
      rules.push(rule);
    }
    const moved = c.movedFacts.map((m) => `${m.fact}: ${m.before} → ${m.after}`);
    const msg = c.after?.message ?? c.before?.message ?? c.checkId;
    results.push({
      ruleId: c.checkId,
      ruleIndex: idx,
      kind,
      level: kind === 'fail' ? level(c) : 'none',
      baselineState,
      message: { text: moved.length > 0 ? `${msg} (moved: ${moved.join('; ')})` : msg },
      locations: [{ logicalLocations: [{ name: c.workload ?? 'host', fullyQualifiedName: c.workload === null ? 'host' : `workload/${c.workload}`, kind: 'resource' }] }],
      properties: { before: c.before, after: c.after, movedFacts: c.movedFacts, trips: c.trips },
    });
  };
  for (const w of d.workloads) {
    for (const c of w.newFailures) add(c, 'new', 'fail');
    for (const c of w.fixed) add(c, 'absent', 'pass');
    for (const c of w.changed) add(c, 'updated', c.after !== null && (c.after.outcome === 'fail' || c.after.outcome === 'warn') ? 'fail' : 'review');
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'nodefit', version: d.tool.version, informationUri: 'https://github.com/nodefit/nodefit', rules } },
        automationDetails: { id: `nodefit-diff/${d.before.kernelRelease ?? 'before'}..${d.after.kernelRelease ?? 'after'}` },
        results,
        properties: { before: d.before, after: d.after, movedFacts: d.facts, summary: d.summary },
      },
    ],
  };
}

export function renderDiffSarif(d: DiffReport): string {
  return JSON.stringify(diffSarifLog(d), null, 2) + '\n';
}
