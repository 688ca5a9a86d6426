// STUB (owned by the renderers work): picks the renderer for --format. Renderers are pure (report, options) => string.
import type { Report } from '../engine/report.ts';
import { UserError } from '../cli/user-error.ts';

export const FORMATS = ['text', 'json', 'sarif', 'junit', 'npd', 'nfd', 'prometheus', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** ANSI colour (only on a terminal, never with NO_COLOR). */
  readonly color: boolean;
}

export function parseFormat(f: string): Format {
  if ((FORMATS as readonly string[]).includes(f)) return f as Format;
  throw new UserError(`unknown --format ${JSON.stringify(f)}; choose one of ${FORMATS.join(', ')}`);
}

export function renderReport(report: Report, format: Format, _options: RenderOptions): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  throw new UserError(`--format ${format} is not implemented yet`);
}
