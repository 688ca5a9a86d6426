// The `--format json` contract of DESIGN.md, with its keys in contract order so diffs between runs stay readable.
import type { Finding, Report } from '../engine/report.ts';

function findingJson(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    checkId: f.checkId,
    workload: f.workload,
    outcome: f.outcome,
    severity: f.severity,
    message: f.message,
    evidence: f.evidence.map((e) => ({ fact: e.fact, value: e.value, source: e.source })),
    remediation: f.remediation.map((r) => ({ os: r.os, text: r.text })),
    references: [...f.references],
  };
  // additive: which line of the workload profile the finding judges (`nodefit explain WORKLOAD` lists them by id), so a
  // consumer can match findings across runs without parsing messages
  if (f.requirement !== undefined) out.requirement = f.requirement;
  // additive: machine-usable fixes, what `nodefit fix` turns into artifacts
  if (f.actions !== undefined && f.actions.length > 0) out.actions = f.actions;
  return out;
}

/** The report object as the contract orders it (schemaVersion, tool, target, summary, findings). */
export function reportJson(report: Report): Record<string, unknown> {
  const t = report.target;
  const capabilities: Record<string, unknown> = {};
  for (const [name, cap] of Object.entries(t.capabilities)) {
    capabilities[name] = { value: cap.value, reason: cap.reason, ...(cap.evidence === undefined ? {} : { evidence: cap.evidence }) };
  }
  return {
    schemaVersion: report.schemaVersion,
    tool: { name: report.tool.name, version: report.tool.version },
    target: {
      kind: t.kind,
      description: t.description,
      kernelRelease: t.kernelRelease,
      os: { id: t.os.id, versionId: t.os.versionId },
      capabilities,
    },
    summary: {
      pass: report.summary.pass,
      fail: report.summary.fail,
      warn: report.summary.warn,
      unknown: report.summary.unknown,
      notApplicable: report.summary.notApplicable,
    },
    findings: report.findings.map(findingJson),
  };
}

export function renderJson(report: Report): string {
  return JSON.stringify(reportJson(report), null, 2) + '\n';
}
