// Splits a kernel command line into words the way the kernel's own parser (lib/cmdline.c next_arg) does.

/**
 * Words are separated by whitespace; double quotes group a value that holds spaces (`foo="a b"`) and are removed,
 * as next_arg() removes them before a parameter handler sees the value. Single quotes have no meaning to the kernel.
 * A trailing newline (as in /proc/cmdline) is whitespace. An unterminated quote runs to the end of the line.
 */
export function splitCmdline(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') {
      inQuote = !inQuote;
      inWord = true;
      continue;
    }
    if (!inQuote && (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\0')) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    cur += c;
    inWord = true;
  }
  if (inWord) words.push(cur);
  return words;
}
