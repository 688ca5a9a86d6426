// JUnit XML for CI test tabs: a testsuite per workload, a testcase per finding (failure / skipped with the reason).
import type { Finding, Report } from '../engine/report.ts';
import { groupByWorkload, osFamilyOfReport, remediationFor } from './common.ts';

/**
 * Characters XML 1.0 allows (§2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]);
 * anything else (other C0 controls, lone surrogates, U+FFFE/U+FFFF) makes the document unparseable, so it is dropped.
 */
export function stripXmlIllegal(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const ok =
      c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
    if (ok) out += ch;
  }
  return out;
}

export function xmlText(s: string): string {
  return stripXmlIllegal(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values also keep their line breaks and tabs (a parser would normalise raw ones to spaces). */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

function detail(f: Finding, family: ReturnType<typeof osFamilyOfReport>): string {
  const lines = [f.message];
  for (const e of f.evidence) lines.push(`evidence: ${e.fact} = ${e.value} (${e.source})`);
  for (const r of remediationFor(f, family)) lines.push(`fix (${r.os}): ${r.text}`);
  for (const ref of f.references) lines.push(`see: ${ref}`);
  return lines.join('\n');
}

export function renderJunit(report: Report): string {
  const family = osFamilyOfReport(report);
  const groups = groupByWorkload(report.findings);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const g of groups) {
    const suiteName = g.workload ?? 'host';
    const cases: string[] = [];
    const seen = new Map<string, number>();
    let sFail = 0;
    let sSkip = 0;
    for (const f of g.findings) {
      // testcase names must be unique within a suite for CI tools to track them across runs
      const n = (seen.get(f.checkId) ?? 0) + 1;
      seen.set(f.checkId, n);
      const name = n === 1 ? f.checkId : `${f.checkId} #${n}`;
      const open = `    <testcase classname="nodefit.${xmlAttr(suiteName)}" name="${xmlAttr(name)}">`;
      if (f.outcome === 'fail') {
        sFail += 1;
        cases.push(
          `${open}\n      <failure message="${xmlAttr(f.message)}" type="${f.severity}">${xmlText(detail(f, family))}</failure>\n    </testcase>`,
        );
      } else if (f.outcome === 'unknown' || f.outcome === 'not-applicable') {
        sSkip += 1;
        const reason = `${f.outcome}: ${f.message}`;
        cases.push(`${open}\n      <skipped message="${xmlAttr(reason)}"/>\n    </testcase>`);
      } else if (f.outcome === 'warn') {
        cases.push(`${open}\n      <system-out>${xmlText('warning: ' + detail(f, family))}</system-out>\n    </testcase>`);
      } else {
        cases.push(`${open}</testcase>`);
      }
    }
    tests += g.findings.length;
    failures += sFail;
    skipped += sSkip;
    suites.push(
      `  <testsuite name="${xmlAttr(suiteName)}" tests="${g.findings.length}" failures="${sFail}" errors="0" skipped="${sSkip}">\n` +
        cases.join('\n') +
        (cases.length > 0 ? '\n' : '') +
        '  </testsuite>',
    );
  }
  const target = report.target.description || report.target.kind;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="${xmlAttr(`nodefit ${target}`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">\n` +
    suites.join('\n') +
    (suites.length > 0 ? '\n' : '') +
    '</testsuites>\n'
  );
}
