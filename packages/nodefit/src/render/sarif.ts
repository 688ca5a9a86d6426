// SARIF 2.1.0 for code-scanning dashboards: one rule per check id, one result per finding, a logical location per workload.
import type * as Sarif from 'sarif';
import type { Finding, Report } from '../engine/report.ts';
import { osFamilyOfReport, remediationFor } from './common.ts';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** kind carries the outcome losslessly (pass / notApplicable / review for unknown); level carries the severity. */
function kindAndLevel(f: Finding): { kind: Sarif.Result.kind; level: Sarif.Result.level } {
  const level: Sarif.Result.level = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'note';
  switch (f.outcome) {
    case 'fail':
      return { kind: 'fail', level };
    case 'warn':
      return { kind: 'fail', level: level === 'error' ? 'warning' : level };
    case 'unknown':
      return { kind: 'review', level: 'note' };
    case 'pass':
      return { kind: 'pass', level: 'none' };
    case 'not-applicable':
      return { kind: 'notApplicable', level: 'none' };
  }
}

function locationName(workload: string | null): string {
  return workload ?? 'host';
}

export function sarifLog(report: Report): Sarif.Log {
  const family = osFamilyOfReport(report);
  const rules: Sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const locations: Sarif.LogicalLocation[] = [];
  const locationIndex = new Map<string, number>();

  for (const f of report.findings) {
    if (!ruleIndex.has(f.checkId)) {
      ruleIndex.set(f.checkId, rules.length);
      const rule: Sarif.ReportingDescriptor = {
        id: f.checkId,
        shortDescription: { text: f.checkId },
        properties: { references: [...f.references] },
      };
      if (f.references[0] !== undefined) rule.helpUri = f.references[0];
      rules.push(rule);
    } else {
      // findings of one check may cite different sources (one per requirement): the rule lists them all
      const rule = rules[ruleIndex.get(f.checkId)!]!;
      const refs = rule.properties!.references as string[];
      for (const r of f.references) if (!refs.includes(r)) refs.push(r);
      if (rule.helpUri === undefined && f.references[0] !== undefined) rule.helpUri = f.references[0];
    }
    const name = locationName(f.workload);
    if (!locationIndex.has(name)) {
      locationIndex.set(name, locations.length);
      locations.push({ name, fullyQualifiedName: f.workload === null ? 'host' : `workload/${f.workload}`, kind: 'resource' });
    }
  }

  const results: Sarif.Result[] = report.findings.map((f) => {
    const { kind, level } = kindAndLevel(f);
    const name = locationName(f.workload);
    const loc = locations[locationIndex.get(name)!]!;
    const fix = remediationFor(f, family);
    return {
      ruleId: f.checkId,
      ruleIndex: ruleIndex.get(f.checkId)!,
      kind,
      level,
      message: { text: f.message + (fix.length > 0 ? `\nFix: ${fix.map((r) => r.text).join(' ')}` : '') },
      locations: [{ logicalLocations: [{ ...loc, index: locationIndex.get(name)! }] }],
      properties: {
        outcome: f.outcome,
        severity: f.severity,
        workload: f.workload,
        ...(f.requirement === undefined ? {} : { requirement: f.requirement }),
        evidence: f.evidence.map((e) => ({ fact: e.fact, value: e.value, source: e.source })),
        remediation: f.remediation.map((r) => ({ os: r.os, text: r.text })),
      },
    };
  });

  const t = report.target;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'nodefit', version: report.tool.version, rules },
        },
        logicalLocations: locations,
        results,
        properties: {
          target: { kind: t.kind, description: t.description, kernelRelease: t.kernelRelease, os: t.os },
          summary: report.summary,
        },
      },
    ],
  };
}

export function renderSarif(report: Report): string {
  return JSON.stringify(sarifLog(report), null, 2) + '\n';
}
