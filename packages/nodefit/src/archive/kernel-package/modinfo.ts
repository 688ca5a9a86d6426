// Reads a kernel module's .modinfo section (NUL-separated key=value strings: depends=, name=, vermagic=, ...) with a
// minimal ELF section lookup, so dependencies can be derived where a package ships no modules.dep.
// ELF layout: System V gABI (e_shoff, e_shentsize, e_shnum, e_shstrndx; Elf32/Elf64 section headers).

export interface Modinfo {
  /** key → values in order (alias= and depends= may repeat). */
  readonly fields: ReadonlyMap<string, readonly string[]>;
}

/** The bytes of a named section, or undefined when the buffer is not ELF or has no such section. Never throws. */
export function elfSection(buf: Buffer, name: string): Buffer | undefined {
  if (buf.length < 52 || buf[0] !== 0x7f || buf[1] !== 0x45 || buf[2] !== 0x4c || buf[3] !== 0x46) return undefined;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  if ((buf[4] !== 1 && !is64) || (buf[5] !== 1 && buf[5] !== 2)) return undefined;
  const u16 = (o: number): number => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number): number => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const uN = (o: number): number => {
    if (!is64) return u32(o);
    const v = le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(v);
  };
  if (is64 && buf.length < 64) return undefined;
  const shoff = uN(is64 ? 0x28 : 0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const shstrndx = u16(is64 ? 0x3e : 0x32);
  const minEnt = is64 ? 64 : 40;
  if (shoff <= 0 || shentsize < minEnt || shnum === 0 || shstrndx >= shnum || shoff + shnum * shentsize > buf.length) return undefined;
  const sect = (i: number): { name: number; offset: number; size: number } => {
    const b = shoff + i * shentsize;
    return is64 ? { name: u32(b), offset: uN(b + 0x18), size: uN(b + 0x20) } : { name: u32(b), offset: u32(b + 0x10), size: u32(b + 0x14) };
  };
  const strtab = sect(shstrndx);
  if (strtab.offset < 0 || strtab.size < 0 || strtab.offset + strtab.size > buf.length) return undefined;
  const want = Buffer.from(name + '\0', 'latin1');
  for (let i = 0; i < shnum; i++) {
    const s = sect(i);
    const at = strtab.offset + s.name;
    if (at + want.length > strtab.offset + strtab.size) continue;
    if (buf.compare(want, 0, want.length, at, at + want.length) !== 0) continue;
    if (s.offset < 0 || s.size < 0 || s.offset + s.size > buf.length) return undefined;
    return buf.subarray(s.offset, s.offset + s.size);
  }
  return undefined;
}

/** Parses the strings of a .modinfo section (also the format of modules.builtin.modinfo without the "module." prefix). */
export function parseModinfoStrings(section: Buffer): Modinfo {
  const fields = new Map<string, string[]>();
  for (const rec of section.toString('utf8').split('\0')) {
    const eq = rec.indexOf('=');
    if (eq <= 0) continue;
    const k = rec.slice(0, eq);
    const list = fields.get(k);
    if (list === undefined) fields.set(k, [rec.slice(eq + 1)]);
    else list.push(rec.slice(eq + 1));
  }
  return { fields };
}

/** The module's .modinfo, or undefined when the ELF has none (or is not ELF). */
export function readModinfo(elf: Buffer): Modinfo | undefined {
  const s = elfSection(elf, '.modinfo');
  return s === undefined ? undefined : parseModinfoStrings(s);
}

/** depends= as module names (empty list when the field is empty or absent). */
export function modinfoDepends(m: Modinfo): string[] {
  return (m.fields.get('depends') ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim().replace(/-/g, '_'))
    .filter((s) => s !== '');
}
