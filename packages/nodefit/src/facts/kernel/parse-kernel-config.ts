// Parses Kconfig output (.config, /proc/config.gz, /boot/config-*) into option states, keeping "is not set" apart from absent.
import type { KernelConfig } from './schema.ts';

const NOT_SET_PREFIX = '# CONFIG_';
const NOT_SET_SUFFIX = ' is not set';

/** Kconfig symbol names: letters, digits and underscores (scripts/kconfig/lexer.l). */
const SYMBOL = /^[A-Za-z0-9_]+$/;

/**
 * Line forms written by scripts/kconfig (confdata.c): `CONFIG_X=value` for set symbols (y, m, a number, or a
 * quoted string), `# CONFIG_X is not set` for bools/tristates set to n, other `#` lines are comments; the header
 * comment reads `# Linux/<arch> <version> Kernel Configuration`. (scripts/kconfig/confdata.c conf_read_simple.) Anything else is counted as malformed and skipped.
 * A later line for the same symbol wins, as it does when Kconfig reads a file.
 *
 * It runs once per process on every live check, mostly before the JIT has warmed up, so each line costs a few
 * native string operations rather than a character loop.
 */
export function parseKernelConfig(text: string): KernelConfig {
  const options = new Map<string, string>();
  let headerVersion: string | undefined;
  let malformed = 0;
  // Lines are walked by index instead of split('\n'): a string per line (10,000 in a distribution config) is garbage
  // the collector then has to sweep during the very run that waits for the answer.
  const length = text.length;
  for (let start = 0; start < length; ) {
    let next = text.indexOf('\n', start);
    if (next === -1) next = length;
    const end = next > start && text.charCodeAt(next - 1) === 13 /* \r */ ? next - 1 : next;
    const first = text.charCodeAt(start);
    if (first === 67 /* C */ && text.startsWith('CONFIG_', start)) {
      const eq = text.indexOf('=', start);
      const name = eq === -1 || eq >= end ? '' : text.slice(start + 7, eq);
      if (SYMBOL.test(name)) {
        options.set(name, text.slice(eq + 1, end));
      } else malformed++;
    } else if (first === 35 /* # */) {
      const sp = text.startsWith(NOT_SET_PREFIX, start) ? text.indexOf(' ', start + NOT_SET_PREFIX.length) : -1;
      const name = sp === -1 || sp >= end ? '' : text.slice(start + NOT_SET_PREFIX.length, sp);
      if (sp + NOT_SET_SUFFIX.length <= end && text.startsWith(NOT_SET_SUFFIX, sp) && SYMBOL.test(name)) {
        // conf_read() only checks the " is not set" prefix, so a trailing remark (Fedora ELN has one) is accepted
        options.set(name, 'n');
      } else if (headerVersion === undefined && text.startsWith('# Linux/', start)) {
        const line = text.slice(start, end);
        const words = line.endsWith(' Kernel Configuration') ? line.split(' ') : [];
        // "# Linux/x86 6.1.0 Kernel Configuration" → "6.1.0"
        if (words.length === 5 && words[2] !== undefined) headerVersion = words[2];
      }
    } else if (end > start && text.slice(start, end).trim() !== '') {
      malformed++;
    }
    start = next + 1;
  }
  const result: KernelConfig = { options, malformedLines: malformed };
  if (headerVersion !== undefined) result.headerVersion = headerVersion;
  return result;
}

/** Renders options back to Kconfig text in the same line forms (used by round-trip tests and `fix` artifacts). */
export function renderKernelConfig(config: Pick<KernelConfig, 'options' | 'headerVersion'>): string {
  const lines: string[] = [];
  if (config.headerVersion !== undefined) lines.push('#', `# Linux/x86 ${config.headerVersion} Kernel Configuration`, '#');
  for (const [name, value] of config.options) {
    lines.push(value === 'n' ? `# CONFIG_${name} is not set` : `CONFIG_${name}=${value}`);
  }
  return lines.join('\n') + '\n';
}

/** Counts of the two line kinds the corpus SOURCES.md reports ("set" and "unset"), over the parsed options. */
export function countOptionStates(config: KernelConfig): { set: number; notSet: number } {
  let set = 0;
  let notSet = 0;
  for (const v of config.options.values()) {
    if (v === 'n') notSet++;
    else set++;
  }
  return { set, notSet };
}
