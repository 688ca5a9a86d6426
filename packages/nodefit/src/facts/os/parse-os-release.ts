// Parses os-release(5) text (shell-like KEY=value lines) into fields, without a shell: quoting and escapes only.

/**
 * os-release(5): one KEY=value per line, '#' comments, values optionally in single or double quotes; inside double
 * quotes a backslash escapes $ " \ and `. Lines that do not fit are skipped, never fatal.
 */
export function parseOsReleaseFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    const value = unquote(line.slice(eq + 1));
    if (value === undefined) continue;
    out[key] = value;
  }
  return out;
}

function unquote(v: string): string | undefined {
  let out = '';
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < v.length; i++) {
    const c = v[i] as string;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else out += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < v.length && '$"\\`'.includes(v[i + 1] as string)) out += v[++i];
      else out += c;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '\\' && i + 1 < v.length) {
      out += v[++i];
    } else if (c === ' ' || c === '\t') {
      // an unquoted blank ends the value (what a shell would do); anything after it is not part of the value
      break;
    } else {
      out += c;
    }
  }
  return quote === undefined ? out : undefined;
}

/** Renders fields back to os-release text with every value double-quoted (for round-trip tests and fixtures). */
export function renderOsReleaseFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}="${v.replace(/[$"\\`]/g, (m) => '\\' + m)}"\n`)
    .join('');
}
