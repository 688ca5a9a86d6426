// Parses systemd-binfmt configuration (binfmt.d(5)): which register strings a host writes at boot, after overrides.

/** Search order of binfmt.d(5): a file name found earlier hides the same name later; /lib only on split-usr systems. */
export const BINFMT_D_DIRS = ['/etc/binfmt.d', '/run/binfmt.d', '/usr/local/lib/binfmt.d', '/usr/lib/binfmt.d', '/lib/binfmt.d'] as const;

export interface BinfmtDFile {
  readonly dir: string;
  readonly name: string;
  /** A symlink to /dev/null or an empty file: it hides lower files of the same name and registers nothing. */
  readonly masked: boolean;
}

/**
 * systemd's conf_files_list(): files ending in ".conf" from every directory, the first directory holding a name
 * wins, the result ordered by file name (not by directory). Masked winners stay out.
 */
export function effectiveBinfmtDFiles(files: readonly BinfmtDFile[]): BinfmtDFile[] {
  const winners = new Map<string, BinfmtDFile>();
  for (const f of files) {
    if (!f.name.endsWith('.conf')) continue;
    if (!winners.has(f.name)) winners.set(f.name, f);
  }
  return [...winners.values()].filter((f) => !f.masked).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface BinfmtDLine {
  readonly line: number;
  readonly register: string;
  /** The handler name the kernel would create, or "" when the string has no valid name field. */
  readonly name: string;
}

/**
 * Register string name: the first character is the delimiter, the name runs to the next one and may not be empty,
 * contain "/", or be "." / ".." (fs/binfmt_misc.c create_entry).
 */
export function registerName(register: string): string {
  const del = register[0];
  if (del === undefined) return '';
  const end = register.indexOf(del, 1);
  if (end < 0) return '';
  const name = register.slice(1, end);
  if (name === '' || name.includes('/') || name === '.' || name === '..') return '';
  return name;
}

/** systemd-binfmt apply_file(): lines are stripped; empty lines and those starting with ';' or '#' are comments. */
export function parseBinfmtD(text: string): BinfmtDLine[] {
  const out: BinfmtDLine[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const t = (rows[i] as string).trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    out.push({ line: i + 1, register: t, name: registerName(t) });
  }
  return out;
}
