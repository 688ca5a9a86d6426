// Picks the renderer for --format. Renderers are pure (report, options) => string, one file each.
import type { Report } from '../engine/report.ts';
import { UserError } from '../cli/user-error.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderNfd } from './nfd.ts';
import { renderNpd } from './npd.ts';
import { renderPrometheus } from './prometheus.ts';
import { renderSarif } from './sarif.ts';
import { renderText } from './text.ts';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'npd', 'nfd', 'prometheus', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** ANSI colour (only on a terminal, never with NO_COLOR). */
  readonly color: boolean;
}

export { npdExitCode } from './npd.ts';

export function parseFormat(f: string): Format {
  if ((FORMATS as readonly string[]).includes(f)) return f as Format;
  throw new UserError(`unknown --format ${JSON.stringify(f)}; choose one of ${FORMATS.join(', ')}`);
}

const RENDERERS: Readonly<Record<Format, (report: Report, options: RenderOptions) => string>> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  npd: renderNpd,
  nfd: renderNfd,
  prometheus: renderPrometheus,
  html: renderHtml,
};

export function renderReport(report: Report, format: Format, options: RenderOptions): string {
  return RENDERERS[format](report, options);
}

/** Bench hook: renders one report in every format (colour on, the costlier text path); returns the total size. */
export function renderEveryFormat(report: Report): number {
  let size = 0;
  for (const f of FORMATS) size += renderReport(report, f, { color: true }).length;
  return size;
}
