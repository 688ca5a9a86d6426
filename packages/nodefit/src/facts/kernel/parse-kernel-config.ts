// Parses Kconfig output (.config, /proc/config.gz, /boot/config-*) into option states, keeping "is not set" apart from absent.
import type { KernelConfig } from './schema.ts';

const NOT_SET_PREFIX = '# CONFIG_';
const NOT_SET_SUFFIX = ' is not set';

function isSymbolName(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!ok) return false;
  }
  return true;
}

/**
 * Line forms written by scripts/kconfig (confdata.c): `CONFIG_X=value` for set symbols (y, m, a number, or a
 * quoted string), `# CONFIG_X is not set` for bools/tristates set to n, other `#` lines are comments; the header
 * comment reads `# Linux/<arch> <version> Kernel Configuration`. (scripts/kconfig/confdata.c conf_read_simple.) Anything else is counted as malformed and skipped.
 * A later line for the same symbol wins, as it does when Kconfig reads a file.
 */
export function parseKernelConfig(text: string): KernelConfig {
  const options: Record<string, string> = Object.create(null) as Record<string, string>;
  let headerVersion: string | undefined;
  let malformed = 0;
  let start = 0;
  const len = text.length;
  while (start <= len) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = len;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') {
      if (end === len) break;
      continue;
    }
    if (line.startsWith('CONFIG_')) {
      const eq = line.indexOf('=');
      const name = eq === -1 ? '' : line.slice(7, eq);
      if (!isSymbolName(name)) malformed++;
      else options[name] = line.slice(eq + 1);
    } else if (line.startsWith('#')) {
      const sp = line.startsWith(NOT_SET_PREFIX) ? line.indexOf(' ', NOT_SET_PREFIX.length) : -1;
      if (sp !== -1 && line.startsWith(NOT_SET_SUFFIX, sp) && isSymbolName(line.slice(NOT_SET_PREFIX.length, sp))) {
        // conf_read() only checks the " is not set" prefix, so a trailing remark (Fedora ELN has one) is accepted
        options[line.slice(NOT_SET_PREFIX.length, sp)] = 'n';
      } else if (headerVersion === undefined && line.startsWith('# Linux/') && line.endsWith(' Kernel Configuration')) {
        const words = line.split(' ');
        // "# Linux/x86 6.1.0 Kernel Configuration" → "6.1.0"
        if (words.length === 5 && words[2] !== undefined) headerVersion = words[2];
      }
    } else {
      malformed++;
    }
    if (end === len) break;
  }
  // a plain object (not null-prototype) so it serialises and compares like any other record
  const result: KernelConfig = { options: { ...options }, malformedLines: malformed };
  if (headerVersion !== undefined) result.headerVersion = headerVersion;
  return result;
}

/** Renders options back to Kconfig text in the same line forms (used by round-trip tests and `fix` artifacts). */
export function renderKernelConfig(config: Pick<KernelConfig, 'options' | 'headerVersion'>): string {
  const lines: string[] = [];
  if (config.headerVersion !== undefined) lines.push('#', `# Linux/x86 ${config.headerVersion} Kernel Configuration`, '#');
  for (const [name, value] of Object.entries(config.options)) {
    lines.push(value === 'n' ? `# CONFIG_${name} is not set` : `CONFIG_${name}=${value}`);
  }
  return lines.join('\n') + '\n';
}

/** Counts of the two line kinds the corpus SOURCES.md reports ("set" and "unset"), over the parsed options. */
export function countOptionStates(config: KernelConfig): { set: number; notSet: number } {
  let set = 0;
  let notSet = 0;
  for (const v of Object.values(config.options)) {
    if (v === 'n') notSet++;
    else set++;
  }
  return { set, notSet };
}
