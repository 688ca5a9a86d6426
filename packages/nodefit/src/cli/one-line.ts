// Error text for stderr, on one line: shared by the CLI and the executable's replay of a run memo.

/** Messages may quote input (a JSON parse error shows the text): keep them on one line. */
export function oneLine(s: string): string {
  let out = '';
  for (const ch of s.replace(/\r?\n/g, '\\n')) out += ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? '?' : ch;
  return out;
}
