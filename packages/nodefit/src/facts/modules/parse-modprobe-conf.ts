// Reads modprobe.d the way kmod does (libkmod-config.c): which files count, which one wins a name, and what each line means.
import { foldModuleName } from './module-name.ts';
import type { ModprobeConfig } from './schema.ts';

/**
 * kmod's default search path, highest priority first (libkmod.c default_config_paths, modprobe.d(5)). /lib and
 * /usr/lib are both listed: on merged-/usr systems they are the same directory and the name rule below dedupes it.
 */
export const MODPROBE_DIRS = ['/etc/modprobe.d', '/run/modprobe.d', '/usr/local/lib/modprobe.d', '/usr/lib/modprobe.d', '/lib/modprobe.d'];

/** conf_files_filter_out(): names starting with '.' are skipped; only "*.conf" and "*.alias" are read. */
export function isModprobeConfName(name: string): boolean {
  if (name.startsWith('.')) return false;
  return (name.length >= 6 && name.endsWith('.conf')) || (name.length >= 7 && name.endsWith('.alias'));
}

/**
 * conf_files_insert_sorted(): every directory's files are merged into one list sorted by file name (strcmp order);
 * a name already taken by a higher-priority directory is ignored, so /etc/modprobe.d/x.conf hides /lib/modprobe.d/x.conf.
 * Input: directories in priority order with their entry names. Output: full paths in the order kmod parses them.
 */
export function orderModprobeFiles(dirs: ReadonlyArray<{ dir: string; names: readonly string[] }>): string[] {
  const byName = new Map<string, string>();
  for (const { dir, names } of dirs) {
    for (const n of names) {
      if (!isModprobeConfName(n) || byName.has(n)) continue;
      byName.set(n, `${dir}/${n}`);
    }
  }
  return [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => byName.get(n) as string);
}

/** getline_wrapped(): a backslash at the end of a line joins it with the next. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let acc = '';
  for (const raw of text.split('\n')) {
    const l = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (l.endsWith('\\')) {
      acc += l.slice(0, -1);
      continue;
    }
    out.push(acc + l);
    acc = '';
  }
  if (acc !== '') out.push(acc);
  return out;
}

/** First word, and the remainder after the separating blanks (strtok_r with "\t " then "\0"). */
function splitWord(s: string): [string, string] {
  let i = 0;
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  let j = i;
  while (j < s.length && s[j] !== ' ' && s[j] !== '\t') j++;
  let k = j;
  while (k < s.length && (s[k] === ' ' || s[k] === '\t')) k++;
  return [s.slice(i, j), s.slice(k)];
}

export interface ModprobeFile {
  readonly path: string;
  readonly text: string;
}

/**
 * Applies kmod_config_parse() to files in parse order. install: the first matching line wins (kmod_module_get_install_commands
 * stops at the first match); options accumulate; blacklist names are collected. Bad lines are ignored, as kmod does.
 * Module names are kept as written after folding '-' to '_'; kmod matches install/options names with fnmatch(3), so a
 * key may be a pattern ("snd_*").
 * `cmdlineBlacklist` is what `modprobe.blacklist=a,b` on the kernel command line adds (kmod_config_parse_kcmdline).
 */
export function parseModprobeConfig(files: readonly ModprobeFile[], cmdlineBlacklist: readonly string[] = []): ModprobeConfig {
  const blacklist: string[] = [];
  const install = new Map<string, string>();
  const options = new Map<string, string>();
  const addBlacklist = (m: string): void => {
    const n = foldModuleName(m);
    if (n !== '' && !blacklist.includes(n)) blacklist.push(n);
  };
  for (const f of files) {
    for (const line of logicalLines(f.text)) {
      if (line === '' || line.startsWith('#')) continue;
      const [cmd, rest] = splitWord(line);
      const [mod, tail] = splitWord(rest);
      if (cmd === 'blacklist') {
        if (mod !== '') addBlacklist(mod);
      } else if (cmd === 'install') {
        if (mod === '' || tail === '') continue;
        const name = foldModuleName(mod);
        if (!install.has(name)) install.set(name, tail);
      } else if (cmd === 'options') {
        if (mod === '' || tail === '') continue;
        const name = foldModuleName(mod);
        const prev = options.get(name);
        const opts = tail.replaceAll('\t', ' ');
        options.set(name, prev === undefined ? opts : `${prev} ${opts}`);
      }
      // alias, softdep, remove: not needed for load-blocking decisions; include/config are ignored by kmod too
    }
  }
  for (const m of cmdlineBlacklist) addBlacklist(m);
  return {
    files: files.map((f) => f.path),
    blacklist,
    install: Object.fromEntries(install),
    options: Object.fromEntries(options),
  };
}

/** `modprobe.blacklist=a,b` words of a kernel command line → module names (kcmdline_parse_result). */
export function cmdlineModprobeBlacklist(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    if (!w.startsWith('modprobe.blacklist=')) continue;
    for (const m of w.slice('modprobe.blacklist='.length).split(',')) if (m !== '') out.push(m);
  }
  return out;
}
