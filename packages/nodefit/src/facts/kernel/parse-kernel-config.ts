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
  return parseKernelConfigCounted(text).config;
}

/**
 * parseKernelConfig plus how many option lines it kept, for callers that must refuse a file without any: counting
 * the keys of a record with thousands of them afterwards costs more than the parse.
 */
export function parseKernelConfigCounted(text: string): { config: KernelConfig; optionLines: number } {
  // Null-prototype objects start in V8's dictionary mode: thousands of keys go in without a hidden-class transition
  // each, and a "__proto__" line becomes an ordinary key. The prototype is set at the end, so callers get a plain record.
  const options = Object.create(null) as Record<string, string>;
  let headerVersion: string | undefined;
  let malformed = 0;
  let optionLines = 0;
  for (let line of text.split('\n')) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const first = line.charCodeAt(0);
    if (first === 67 /* C */ && line.startsWith('CONFIG_')) {
      const eq = line.indexOf('=');
      const name = eq === -1 ? '' : line.slice(7, eq);
      if (SYMBOL.test(name)) {
        options[name] = line.slice(eq + 1);
        optionLines++;
      } else malformed++;
    } else if (first === 35 /* # */) {
      const sp = line.startsWith(NOT_SET_PREFIX) ? line.indexOf(' ', NOT_SET_PREFIX.length) : -1;
      const name = sp === -1 ? '' : line.slice(NOT_SET_PREFIX.length, sp);
      if (sp !== -1 && line.startsWith(NOT_SET_SUFFIX, sp) && SYMBOL.test(name)) {
        // conf_read() only checks the " is not set" prefix, so a trailing remark (Fedora ELN has one) is accepted
        options[name] = 'n';
        optionLines++;
      } else if (headerVersion === undefined && line.startsWith('# Linux/') && line.endsWith(' Kernel Configuration')) {
        const words = line.split(' ');
        // "# Linux/x86 6.1.0 Kernel Configuration" → "6.1.0"
        if (words.length === 5 && words[2] !== undefined) headerVersion = words[2];
      }
    } else if (line.trim() !== '') {
      malformed++;
    }
  }
  Object.setPrototypeOf(options, Object.prototype);
  const result: KernelConfig = { options, malformedLines: malformed };
  if (headerVersion !== undefined) result.headerVersion = headerVersion;
  return { config: result, optionLines };
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
