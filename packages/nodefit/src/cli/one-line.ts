// Error text for stderr, on one line: shared by the CLI and the executable's replay of a run memo.

/**
 * What would start another line, move the cursor or reorder text in a terminal or a log viewer: C0 and C1 controls
 * (NEL, CSI), the line and paragraph separators, and the bidirectional overrides and isolates.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Messages may quote input (a JSON parse error shows the text, a server's answer its own words): keep them on one line. */
export function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '\\n').replace(UNSAFE, '?');
}
