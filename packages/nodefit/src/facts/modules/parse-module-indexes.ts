// Parsers for the other text indexes depmod and kbuild leave in a module directory (builtin, order, alias, softdep, modinfo).
import { foldModuleName, moduleNameFromPath } from './module-name.ts';

function lines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** modules.builtin / modules.order: one module path per line ("kernel/fs/ext4/ext4.ko") → names, file order, no repeats. */
export function parseModuleList(text: string): string[] {
  const seen = new Set<string>();
  for (const l of lines(text)) {
    const t = l.trim();
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

function isLiteralAlias(alias: string): boolean {
  // fnmatch metacharacters: such aliases (most pci:/usb:/of: ones) match device strings, not names a user types
  return !(alias.includes('*') || alias.includes('?') || alias.includes('['));
}

/** modules.alias: "alias <pattern> <module>" lines; only literal aliases (fs-ext4, net-pf-10, crypto-crc32c …). */
export function parseModulesAlias(text: string): Record<string, string[]> {
  const out = new Map<string, string[]>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const lineStart = start;
    start = end + 1;
    // depmod writes exactly "alias <pattern> <module>" with single spaces
    if (!text.startsWith('alias ', lineStart)) continue;
    const a = lineStart + 6;
    const sp = text.indexOf(' ', a);
    if (sp === -1 || sp >= end) continue;
    // most device aliases hold a '*' before the module name: skip them without building strings
    const star = text.indexOf('*', a);
    if (star !== -1 && star < sp) continue;
    const alias = text.slice(a, sp);
    if (alias === '' || !isLiteralAlias(alias)) continue;
    const modRaw = text.slice(sp + 1, end).trim();
    if (modRaw === '' || modRaw.includes(' ') || modRaw.includes('\t')) continue;
    const mod = foldModuleName(modRaw);
    const list = out.get(alias);
    if (list === undefined) out.set(alias, [mod]);
    else if (!list.includes(mod)) list.push(mod);
  }
  return Object.fromEntries(out);
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
  return Object.fromEntries(out);
}
