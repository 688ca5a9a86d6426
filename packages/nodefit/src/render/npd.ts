// node-problem-detector custom plugin protocol: one short line on stdout and an exit code (0 OK, 1 problem, 2 unknown).
import type { Report } from '../engine/report.ts';
import { printable, sortFindings } from './common.ts';

/**
 * NPD cuts plugin stdout at `max_output_length` (its docs and shipped configs use 80) before it becomes the condition
 * message: docs/custom_plugin_monitor.md in kubernetes/node-problem-detector. The message is ASCII so that cut never
 * splits a character.
 */
export const NPD_MAX_OUTPUT = 80;

export const NPD_OK = 0;
export const NPD_PROBLEM = 1;
export const NPD_UNKNOWN = 2;
export type NpdStatus = typeof NPD_OK | typeof NPD_PROBLEM | typeof NPD_UNKNOWN;

/**
 * Problem: a failure at error or warning severity. Unknown: no problem, but an error-severity check could not be decided
 * (the node may well be broken). OK otherwise: info findings and warn outcomes do not flip a node condition.
 */
export function npdExitCode(report: Report): NpdStatus {
  if (report.findings.some((f) => f.outcome === 'fail' && f.severity !== 'info')) return NPD_PROBLEM;
  if (report.findings.some((f) => f.outcome === 'unknown' && f.severity === 'error')) return NPD_UNKNOWN;
  return NPD_OK;
}

function ascii(s: string): string {
  return printable(s).replace(/[^\x20-\x7e]/g, '?');
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 3) + '...';
}

export function npdMessage(report: Report): string {
  const code = npdExitCode(report);
  const s = report.summary;
  if (code === NPD_PROBLEM) {
    const problems = sortFindings(report.findings.filter((f) => f.outcome === 'fail' && f.severity !== 'info'));
    const first = problems[0]!;
    const where = first.workload === null ? '' : `${first.workload}: `;
    return clip(ascii(`${problems.length} problem${problems.length === 1 ? '' : 's'}; ${where}${first.message}`), NPD_MAX_OUTPUT);
  }
  if (code === NPD_UNKNOWN) {
    const first = sortFindings(report.findings.filter((f) => f.outcome === 'unknown' && f.severity === 'error'))[0]!;
    return clip(ascii(`${s.unknown} undecided; ${first.checkId}: ${first.message}`), NPD_MAX_OUTPUT);
  }
  return clip(ascii(`OK: ${s.pass} pass, ${s.warn} warn, ${s.unknown} unknown`), NPD_MAX_OUTPUT);
}

export function renderNpd(report: Report): string {
  return npdMessage(report) + '\n';
}
