// JUnit XML for a diff: a testsuite per workload, a testcase per changed finding; a new failure is a <failure> with the
// moved facts, so a CI test tab shows what the upgrade breaks.
import { xmlAttr, xmlText } from '../../render/junit.ts';
import type { DiffReport, FindingChange } from './diff-report.ts';

function body(c: FindingChange): string {
  const lines = [c.after?.message ?? c.before?.message ?? ''];
  lines.push(`before: ${c.before?.outcome ?? 'absent'}, after: ${c.after?.outcome ?? 'absent'}`);
  for (const m of c.movedFacts) lines.push(`moved: ${m.fact}: ${m.before} → ${m.after}`);
  for (const r of c.references) lines.push(`see: ${r}`);
  return lines.join('\n');
}

export function renderDiffJunit(d: DiffReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const w of d.workloads) {
    const name = w.workload ?? 'host';
    const cases: string[] = [];
    for (const c of w.newFailures) {
      cases.push(`    <testcase classname="${xmlAttr(name)}" name="${xmlAttr(`${c.checkId} (new failure)`)}">\n      <failure message="${xmlAttr(c.after?.message ?? c.checkId)}" type="${xmlAttr(c.after?.severity ?? 'error')}">${xmlText(body(c))}</failure>\n    </testcase>`);
    }
    for (const c of w.fixed) cases.push(`    <testcase classname="${xmlAttr(name)}" name="${xmlAttr(`${c.checkId} (fixed)`)}"><system-out>${xmlText(body(c))}</system-out></testcase>`);
    for (const c of w.changed) cases.push(`    <testcase classname="${xmlAttr(name)}" name="${xmlAttr(`${c.checkId} (changed)`)}"><system-out>${xmlText(body(c))}</system-out></testcase>`);
    if (w.unchanged > 0) cases.push(`    <testcase classname="${xmlAttr(name)}" name="${xmlAttr(`${w.unchanged} unchanged finding(s)`)}"/>`);
    tests += cases.length;
    failures += w.newFailures.length;
    suites.push(`  <testsuite name="${xmlAttr(name)}" tests="${cases.length}" failures="${w.newFailures.length}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const title = `nodefit diff ${d.before.kernelRelease ?? d.before.description} → ${d.after.kernelRelease ?? d.after.description}`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xmlAttr(title)}" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
