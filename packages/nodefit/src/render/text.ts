// The terminal report: grouped by workload, failures first, with evidence and the fix for this OS, and a one-line summary.
import { createColors } from 'picocolors';
import type { Finding, Outcome, Report } from '../engine/report.ts';
import type { RenderOptions } from './index.ts';
import { capabilityValueText, groupByWorkload, osFamilyOfReport, printable, remediationFor, summaryLine } from './common.ts';

const SYMBOL: Readonly<Record<Outcome, string>> = {
  fail: '✗',
  warn: '!',
  unknown: '?',
  pass: '✓',
  'not-applicable': '-',
};

const LABEL: Readonly<Record<Outcome, string>> = {
  fail: 'FAIL',
  warn: 'WARN',
  unknown: 'UNKNOWN',
  pass: 'PASS',
  'not-applicable': 'N/A',
};

export function renderText(report: Report, options: RenderOptions): string {
  const c = createColors(options.color);
  const paint: Readonly<Record<Outcome, (s: string) => string>> = {
    fail: c.red,
    warn: c.yellow,
    unknown: c.magenta,
    pass: c.green,
    'not-applicable': c.dim,
  };
  const family = osFamilyOfReport(report);
  const t = report.target;
  const lines: string[] = [];
  const osText = t.os.id === null ? 'unknown OS' : `${t.os.id}${t.os.versionId === null ? '' : ' ' + t.os.versionId}`;
  lines.push(
    c.bold(`nodefit ${report.tool.version}: ${printable(t.description || t.kind)}`) +
      c.dim(` (${t.kind}, kernel ${printable(t.kernelRelease ?? 'unknown')}, ${printable(osText)})`),
  );

  const caps = Object.entries(t.capabilities);
  if (caps.length > 0) {
    lines.push('', c.bold('capabilities'));
    const width = Math.max(...caps.map(([k]) => k.length));
    const values = caps.map(([, cap]) => printable(capabilityValueText(cap.value)));
    const vwidth = Math.min(28, Math.max(...values.map((v) => v.length)));
    caps.forEach(([name, cap], i) => {
      lines.push(`  ${name.padEnd(width)}  ${values[i]!.padEnd(vwidth)}` + c.dim(`  ${printable(cap.reason)}`));
    });
  }

  for (const group of groupByWorkload(report.findings)) {
    const title = group.workload === null ? 'host-wide checks' : `workload ${printable(group.workload)}`;
    lines.push('', `${paint[group.verdict](SYMBOL[group.verdict])} ${c.bold(title)}`);
    for (const f of group.findings) lines.push(...findingLines(f, family, paint, c.dim));
  }

  lines.push('', c.bold(printable(summaryLine(report))));
  return lines.join('\n') + '\n';
}

function findingLines(
  f: Finding,
  family: ReturnType<typeof osFamilyOfReport>,
  paint: Readonly<Record<Outcome, (s: string) => string>>,
  dim: (s: string) => string,
): string[] {
  const head = `  ${paint[f.outcome](`${SYMBOL[f.outcome]} ${LABEL[f.outcome].padEnd(7)}`)} ${printable(f.message)} ${dim(`[${f.checkId}]`)}`;
  // passing and not-applicable findings stay one line: the reader scans them, they need no action
  if (f.outcome === 'pass' || f.outcome === 'not-applicable') return [head];
  const out = [head];
  for (const e of f.evidence) out.push(`        ${dim('evidence:')} ${printable(e.fact)} = ${printable(e.value)} ${dim(`(${printable(e.source)})`)}`);
  for (const r of remediationFor(f, family)) out.push(`        ${dim(`fix (${r.os}):`)} ${printable(r.text)}`);
  if (f.references.length > 0) out.push(`        ${dim('see:')} ${f.references.map(printable).join(' ')}`);
  return out;
}
