// Prometheus text exposition for node_exporter's textfile collector: finding counts by check, workload, outcome, severity.
import type { Report } from '../engine/report.ts';
import { OUTCOME_ORDER } from './common.ts';

/**
 * Label values escape backslash, double quote and line feed (exposition format 0.0.4, "Text format details").
 * Series must be unique per metric, so findings sharing all four labels are counted into one sample.
 */
export function escapeLabelValue(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and line feed only. */
function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function labels(pairs: readonly (readonly [string, string])[]): string {
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

export function renderPrometheus(report: Report): string {
  const out: string[] = [];
  const t = report.target;

  out.push(`# HELP nodefit_info ${escapeHelp('The nodefit run that wrote this file and the target it evaluated.')}`);
  out.push('# TYPE nodefit_info gauge');
  out.push(
    'nodefit_info' +
      labels([
        ['version', report.tool.version],
        ['target_kind', t.kind],
        ['kernel_release', t.kernelRelease ?? ''],
        ['os_id', t.os.id ?? ''],
        ['os_version_id', t.os.versionId ?? ''],
      ]) +
      ' 1',
  );

  const counts = new Map<string, { pairs: [string, string][]; n: number }>();
  for (const f of report.findings) {
    const pairs: [string, string][] = [
      ['check_id', f.checkId],
      ['workload', f.workload ?? ''],
      ['outcome', f.outcome],
      ['severity', f.severity],
    ];
    const key = JSON.stringify(pairs);
    const c = counts.get(key);
    if (c === undefined) counts.set(key, { pairs, n: 1 });
    else c.n += 1;
  }
  out.push(
    `# HELP nodefit_finding ${escapeHelp('Findings with this check, workload ("" for host-wide), outcome and severity.')}`,
  );
  out.push('# TYPE nodefit_finding gauge');
  for (const { pairs, n } of counts.values()) out.push(`nodefit_finding${labels(pairs)} ${n}`);

  out.push(`# HELP nodefit_summary ${escapeHelp('Findings per outcome.')}`);
  out.push('# TYPE nodefit_summary gauge');
  const s = report.summary;
  const byOutcome = { fail: s.fail, warn: s.warn, unknown: s.unknown, pass: s.pass, 'not-applicable': s.notApplicable };
  for (const o of OUTCOME_ORDER) out.push(`nodefit_summary${labels([['outcome', o]])} ${byOutcome[o]}`);
  return out.join('\n') + '\n';
}
