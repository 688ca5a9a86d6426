// One self-contained HTML page (inline CSS, no scripts, no external requests) a person would rather look at than read.
import type { Finding, Outcome, Report } from '../engine/report.ts';
import { capabilityValueText, groupByWorkload, osFamilyOfReport, remediationFor, summaryLine } from './common.ts';

/** Every value in the page comes from a snapshot or a user profile: all of it is escaped, attributes included. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const LABEL: Readonly<Record<Outcome, string>> = {
  fail: 'fail',
  warn: 'warn',
  unknown: 'unknown',
  pass: 'pass',
  'not-applicable': 'n/a',
};

const CSS = `
:root{--fail:#c62828;--warn:#b26a00;--unknown:#6a1b9a;--pass:#2e7d32;--na:#757575;--bg:#fafafa;--card:#fff;--line:#e0e0e0;--ink:#212121;--muted:#616161}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{padding:24px 32px;background:#263238;color:#fff}header h1{margin:0 0 4px;font-size:22px;font-weight:600}
header .meta{color:#cfd8dc;font-size:14px}main{max-width:1100px;margin:0 auto;padding:24px 32px}
.pills{display:flex;gap:8px;flex-wrap:wrap;margin-top:14px}.pill{padding:4px 12px;border-radius:999px;font-weight:600;font-size:14px;background:#37474f}
.pill.fail{background:var(--fail)}.pill.warn{background:var(--warn)}.pill.unknown{background:var(--unknown)}.pill.pass{background:var(--pass)}
h2{font-size:17px;margin:28px 0 10px}table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line)}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top;font-size:14px}th{background:#eceff1;font-weight:600}
td.reason{color:var(--muted)}code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eceff1;padding:1px 4px;border-radius:3px;word-break:break-all}
details.workload{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--na);border-radius:4px;margin:10px 0}
details.workload.fail{border-left-color:var(--fail)}details.workload.warn{border-left-color:var(--warn)}details.workload.unknown{border-left-color:var(--unknown)}details.workload.pass{border-left-color:var(--pass)}
details.workload>summary{cursor:pointer;padding:10px 14px;font-weight:600;font-size:16px}details.workload>summary .counts{font-weight:400;color:var(--muted);font-size:14px;margin-left:8px}
.finding{border-top:1px solid var(--line);padding:10px 14px 12px}.finding .head{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.badge{display:inline-block;min-width:64px;text-align:center;padding:1px 8px;border-radius:4px;color:#fff;font-size:12px;font-weight:700;text-transform:uppercase;background:var(--na)}
.badge.fail{background:var(--fail)}.badge.warn{background:var(--warn)}.badge.unknown{background:var(--unknown)}.badge.pass{background:var(--pass)}
.check{color:var(--muted);font-size:13px}.msg{font-weight:500}.fix{margin:8px 0 0;padding:8px 12px;background:#e8f5e9;border-radius:4px}
.fix b{color:var(--pass)}.refs{margin-top:6px;font-size:13px}.refs a{color:#1565c0;margin-right:12px;word-break:break-all}
.evidence{margin-top:8px}.evidence td,.evidence th{font-size:13px;padding:4px 8px}ul.quiet{margin:0;padding:8px 14px 12px 34px;color:var(--muted);font-size:14px;border-top:1px solid var(--line)}
td.name code{word-break:normal;white-space:nowrap}.pill.zero{background:#37474f;color:#b0bec5}
footer{color:var(--muted);font-size:13px;padding:24px 32px;text-align:center}
`;

function isHttpUrl(s: string): boolean {
  return /^https?:\/\/[^\s"'<>]+$/.test(s);
}

function findingHtml(f: Finding, family: ReturnType<typeof osFamilyOfReport>): string {
  const parts: string[] = [];
  parts.push(
    `<div class="finding"><div class="head"><span class="badge ${f.outcome}">${LABEL[f.outcome]}</span>` +
      `<span class="msg">${escapeHtml(f.message)}</span><span class="check">${escapeHtml(f.checkId)} · ${escapeHtml(f.severity)}</span></div>`,
  );
  if (f.evidence.length > 0) {
    parts.push('<table class="evidence"><tr><th>fact</th><th>value</th><th>source</th></tr>');
    for (const e of f.evidence) {
      parts.push(`<tr><td><code>${escapeHtml(e.fact)}</code></td><td>${escapeHtml(e.value)}</td><td><code>${escapeHtml(e.source)}</code></td></tr>`);
    }
    parts.push('</table>');
  }
  const fix = remediationFor(f, family);
  for (const r of fix) parts.push(`<div class="fix"><b>Fix (${escapeHtml(r.os)}):</b> ${escapeHtml(r.text)}</div>`);
  if (f.references.length > 0) {
    const refs = f.references.map((r) =>
      isHttpUrl(r) ? `<a href="${escapeHtml(r)}" rel="noreferrer noopener">${escapeHtml(r)}</a>` : `<span>${escapeHtml(r)}</span>`,
    );
    parts.push(`<div class="refs">${refs.join('')}</div>`);
  }
  parts.push('</div>');
  return parts.join('');
}

/** A count in the header; zero counts are greyed so the eye lands on what is there. */
function pill(cls: string, n: number, label: string): string {
  const c = n === 0 ? 'zero' : cls;
  return `<span class="pill${c === '' ? '' : ' ' + c}">${n} ${label}</span>`;
}

export function renderHtml(report: Report): string {
  const t = report.target;
  const s = report.summary;
  const family = osFamilyOfReport(report);
  const title = `nodefit: ${t.description || t.kind}`;
  const os = t.os.id === null ? 'unknown OS' : `${t.os.id} ${t.os.versionId ?? ''}`.trim();
  const body: string[] = [];

  body.push(
    `<header><h1>${escapeHtml(title)}</h1><div class="meta">${escapeHtml(t.kind)} · kernel ${escapeHtml(t.kernelRelease ?? 'unknown')} · ` +
      `${escapeHtml(os)} · nodefit ${escapeHtml(report.tool.version)}</div><div class="pills">` +
      pill('fail', s.fail, 'fail') +
      pill('warn', s.warn, 'warn') +
      pill('unknown', s.unknown, 'unknown') +
      pill('pass', s.pass, 'pass') +
      pill('', s.notApplicable, 'n/a') +
      '</div></header><main>',
  );

  const caps = Object.entries(t.capabilities);
  if (caps.length > 0) {
    body.push('<h2>Capabilities</h2><table><tr><th>capability</th><th>value</th><th>why</th></tr>');
    for (const [name, cap] of caps) {
      body.push(
        `<tr><td class="name"><code>${escapeHtml(name)}</code></td><td>${escapeHtml(capabilityValueText(cap.value))}</td><td class="reason">${escapeHtml(cap.reason)}</td></tr>`,
      );
    }
    body.push('</table>');
  }

  body.push('<h2>Findings</h2>');
  const groups = groupByWorkload(report.findings);
  if (groups.length === 0) body.push('<p>No findings.</p>');
  for (const g of groups) {
    const name = g.workload === null ? 'host-wide checks' : g.workload;
    const counts = new Map<Outcome, number>();
    for (const f of g.findings) counts.set(f.outcome, (counts.get(f.outcome) ?? 0) + 1);
    const countText = [...counts.entries()].map(([o, n]) => `${n} ${LABEL[o]}`).join(', ');
    const open = g.verdict === 'fail' || g.verdict === 'warn' || g.verdict === 'unknown' ? ' open' : '';
    body.push(
      `<details class="workload ${g.verdict}"${open}><summary><span class="badge ${g.verdict}">${LABEL[g.verdict]}</span> ` +
        `${escapeHtml(name)}<span class="counts">${escapeHtml(countText)}</span></summary>`,
    );
    const loud = g.findings.filter((f) => f.outcome !== 'pass' && f.outcome !== 'not-applicable');
    const quiet = g.findings.filter((f) => f.outcome === 'pass' || f.outcome === 'not-applicable');
    for (const f of loud) body.push(findingHtml(f, family));
    if (quiet.length > 0) {
      body.push('<ul class="quiet">');
      for (const f of quiet) body.push(`<li>${LABEL[f.outcome]}: ${escapeHtml(f.message)} <span class="check">${escapeHtml(f.checkId)}</span></li>`);
      body.push('</ul>');
    }
    body.push('</details>');
  }
  body.push(`</main><footer>${escapeHtml(summaryLine(report))}</footer>`);

  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">' +
    // the page must never fetch anything: the policy forbids every source but the inline stylesheet
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>\n` +
    body.join('\n') +
    '\n</body></html>\n'
  );
}
