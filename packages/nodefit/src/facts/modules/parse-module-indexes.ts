// Parsers for the other text indexes depmod and kbuild leave in a module directory (builtin, order, alias, softdep, modinfo).
import { foldModuleName, moduleNameFromPath } from './module-name.ts';
import { recordFromMap } from './plain-record.ts';

function lines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** modules.builtin / modules.order: one module path per line ("kernel/fs/ext4/ext4.ko") → names, file order, no repeats. */
export function parseModuleList(text: string): string[] {
  const seen = new Set<string>();
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    // trim() also drops a CR line end
    const t = (all[i] as string).trim();
    if (t === '' || t.startsWith('#')) continue;
    seen.add(moduleNameFromPath(t));
  }
  return [...seen];
}

/** modules.builtin.modinfo: NUL-separated "module.key=value" records (kbuild, Linux 5.2+) → module names. */
export function parseBuiltinModinfo(data: Buffer | string): string[] {
  const text = typeof data === 'string' ? data : data.toString('latin1');
  const seen = new Set<string>();
  for (const rec of text.split('\0')) {
    const dot = rec.indexOf('.');
    const eq = rec.indexOf('=');
    if (dot <= 0 || eq === -1 || eq < dot) continue;
    seen.add(foldModuleName(rec.slice(0, dot)));
  }
  return [...seen];
}

/**
 * A line "alias <pattern> <rest>" whose pattern holds none of fnmatch's metacharacters (* ? [): such aliases (most
 * pci:/usb:/of: ones) match device strings, not names a user types. Lines are what lies between '\n's; the pattern
 * runs to the first space. The engine skips the ~85% device aliases without a step of JavaScript per line.
 */
const LITERAL_ALIAS_LINE = /(?:^|\n)alias ([^ \n*?[]+) ([^\n]*)/g;

/** modules.alias: "alias <pattern> <module>" lines; only literal aliases (fs-ext4, net-pf-10, crypto-crc32c …). */
export function parseModulesAlias(text: string): Record<string, string[]> {
  const out = new Map<string, string[]>();
  const re = new RegExp(LITERAL_ALIAS_LINE);
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    // depmod writes exactly "alias <pattern> <module>" with single spaces
    const modRaw = (m[2] as string).trim();
    if (modRaw === '' || modRaw.includes(' ') || modRaw.includes('\t')) continue;
    const alias = m[1] as string;
    const mod = foldModuleName(modRaw);
    const list = out.get(alias);
    if (list === undefined) out.set(alias, [mod]);
    else if (!list.includes(mod)) list.push(mod);
  }
  return recordFromMap(out);
}

export interface SoftDep {
  pre: string[];
  post: string[];
}

/**
 * "softdep <module> pre: a b post: c" (modules.softdep, or modprobe.d). Words before any pre:/post: are ignored,
 * as in kmod's kmod_config_add_softdep(). The first line for a module wins (kmod uses the first match).
 */
export function parseSoftdepLine(rest: string): SoftDep {
  const dep: SoftDep = { pre: [], post: [] };
  let mode: 'none' | 'pre' | 'post' = 'none';
  for (const w of rest.split(/[ \t]+/)) {
    if (w === '') continue;
    if (w === 'pre:') mode = 'pre';
    else if (w === 'post:') mode = 'post';
    else if (mode !== 'none') dep[mode].push(foldModuleName(w));
  }
  return dep;
}

export function parseModulesSoftdep(text: string): Record<string, SoftDep> {
  const out = new Map<string, SoftDep>();
  for (const l of lines(text)) {
    const m = /^softdep[ \t]+(\S+)[ \t]+(.*)$/.exec(l);
    if (m === null) continue;
    const name = foldModuleName(m[1] as string);
    if (!out.has(name)) out.set(name, parseSoftdepLine(m[2] as string));
  }
  return recordFromMap(out);
}
