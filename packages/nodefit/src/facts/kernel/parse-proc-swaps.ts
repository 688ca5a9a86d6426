// Reads /proc/swaps: which swap areas are active, the fact kubelet starts or refuses to start on.

/**
 * The kernel writes a header line, then one line per active area (mm/swapfile.c swap_show): the path first, with
 * space, tab, newline and backslash written as octal escapes (seq_file_path), then type, size, used and priority.
 * Every non-blank line after the header is an area, as kubelet counts them (more than one line means swap is on).
 */
export function parseProcSwaps(text: string): string[] {
  const lines = text.split('\n');
  const start = lines[0]?.startsWith('Filename') === true ? 1 : 0;
  const areas: string[] = [];
  for (const line of lines.slice(start)) {
    const name = /^\S+/.exec(line.trimStart())?.[0];
    if (name !== undefined) areas.push(name.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8))));
  }
  return areas;
}
