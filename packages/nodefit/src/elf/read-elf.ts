// Hand-written ELF reader (no maintained npm library exists): enough of the format to tell what an image's binaries
// are: architecture, static or dynamic, NEEDED libraries, and the dlopen() notes kmod >= 34 carries.
// Layout per the System V gABI (https://refspecs.linuxfoundation.org/elf/gabi4+/contents.html) and
// .note.dlopen per https://systemd.io/ELF_DLOPEN_METADATA/. Never throws on bad input: returns what it could read.

export interface ElfSection {
  readonly name: string;
  readonly type: number;
  readonly offset: number;
  readonly size: number;
}

export interface DlopenNote {
  readonly feature?: string;
  readonly description?: string;
  readonly priority?: string;
  readonly soname: readonly string[];
}

export interface ElfInfo {
  readonly bits: 32 | 64;
  readonly endian: 'le' | 'be';
  /** e_type: 2 EXEC, 3 DYN (PIE or shared object). */
  readonly type: number;
  readonly machine: number;
  /** GOARCH-style name as OCI platforms use it ("amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64", …). */
  readonly arch: string;
  readonly interp: string | null;
  readonly needed: readonly string[];
  readonly soname: string | null;
  readonly runpath: readonly string[];
  readonly sections: readonly ElfSection[];
  readonly dlopen: readonly DlopenNote[];
  /** No PT_INTERP and no DT_NEEDED: runs without any library from the image (static or static-PIE). */
  readonly isStatic: boolean;
  /** The buffer ended before a table the header points at (e.g. only the first bytes were kept). */
  readonly truncated: boolean;
}

const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PT_LOAD = 1;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_SONAME = 14;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
const SHT_NOTE = 7;
/** FDO dlopen note type, "FDO" owner (systemd ELF_DLOPEN_METADATA). */
const NT_FDO_DLOPEN_METADATA = 0x407c0c0a;

export function isElf(buf: Uint8Array): boolean {
  return buf.length >= 4 && buf[0] === 0x7f && buf[1] === 0x45 && buf[2] === 0x4c && buf[3] === 0x46;
}

/** Architecture name for e_machine, with class and byte order where one machine number covers several. */
export function machineToArch(machine: number, bits: 32 | 64, endian: 'le' | 'be'): string {
  switch (machine) {
    case 3:
      return '386';
    case 62:
      return 'amd64';
    case 183:
      return 'arm64';
    case 40:
      return 'arm';
    case 8:
      return bits === 64 ? (endian === 'le' ? 'mips64le' : 'mips64') : endian === 'le' ? 'mipsle' : 'mips';
    case 20:
      return 'ppc';
    case 21:
      return endian === 'le' ? 'ppc64le' : 'ppc64';
    case 22:
      return bits === 64 ? 's390x' : 's390';
    case 243:
      return bits === 64 ? 'riscv64' : 'riscv32';
    case 258:
      return 'loong64';
    case 2:
    case 43:
      return 'sparc64';
    default:
      return `machine-${machine}`;
  }
}

class View {
  constructor(
    readonly b: Uint8Array,
    readonly le: boolean,
    readonly is64: boolean,
  ) {}
  private dv = (): DataView => new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
  has(off: number, len: number): boolean {
    return Number.isSafeInteger(off) && off >= 0 && len >= 0 && off + len <= this.b.length;
  }
  u16(off: number): number {
    return this.dv().getUint16(off, this.le);
  }
  u32(off: number): number {
    return this.dv().getUint32(off, this.le);
  }
  /** Address-sized value; values beyond 2^53 become Infinity so later range checks fail cleanly. */
  addr(off: number): number {
    if (!this.is64) return this.u32(off);
    const v = this.dv().getBigUint64(off, this.le);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(v);
  }
  cstr(off: number, max = 4096): string | null {
    if (!this.has(off, 1)) return null;
    let end = off;
    const lim = Math.min(this.b.length, off + max);
    while (end < lim && this.b[end] !== 0) end++;
    if (end >= lim) return null;
    return Buffer.from(this.b.buffer, this.b.byteOffset + off, end - off).toString('latin1');
  }
}

interface Phdr {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
}

/** Parses an ELF file (or its first bytes). Undefined when the buffer is not ELF or its identification is invalid. */
export function readElf(buf: Uint8Array): ElfInfo | undefined {
  if (!isElf(buf) || buf.length < 20) return undefined;
  const cls = buf[4];
  const data = buf[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2)) return undefined;
  const bits = cls === 2 ? 64 : 32;
  const endian = data === 1 ? 'le' : 'be';
  const v = new View(buf, endian === 'le', bits === 64);
  const type = v.u16(16);
  const machine = v.u16(18);
  const arch = machineToArch(machine, bits, endian);
  const hdrLen = bits === 64 ? 64 : 52;
  let truncated = false;
  const base = { bits, endian, type, machine, arch } as const;
  if (!v.has(0, hdrLen)) {
    return { ...base, interp: null, needed: [], soname: null, runpath: [], sections: [], dlopen: [], isStatic: false, truncated: true };
  }
  const phoff = v.addr(bits === 64 ? 32 : 28);
  const shoff = v.addr(bits === 64 ? 40 : 32);
  const phentsize = v.u16(bits === 64 ? 54 : 42);
  const phnum = v.u16(bits === 64 ? 56 : 44);
  const shentsize = v.u16(bits === 64 ? 58 : 46);
  const shnum = v.u16(bits === 64 ? 60 : 48);
  const shstrndx = v.u16(bits === 64 ? 62 : 50);

  const phdrs: Phdr[] = [];
  const minPh = bits === 64 ? 56 : 32;
  if (phnum > 0 && phentsize >= minPh) {
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * phentsize;
      if (!v.has(o, minPh)) {
        truncated = true;
        break;
      }
      phdrs.push(
        bits === 64
          ? { type: v.u32(o), offset: v.addr(o + 8), vaddr: v.addr(o + 16), filesz: v.addr(o + 32) }
          : { type: v.u32(o), offset: v.u32(o + 4), vaddr: v.u32(o + 8), filesz: v.u32(o + 16) },
      );
    }
  }

  let interp: string | null = null;
  const interpPh = phdrs.find((p) => p.type === PT_INTERP);
  if (interpPh !== undefined) {
    if (v.has(interpPh.offset, Math.min(interpPh.filesz, 4096))) interp = v.cstr(interpPh.offset, Math.max(1, Math.min(interpPh.filesz, 4096)));
    else truncated = true;
    interp ??= '';
  }

  /** File offset for a virtual address, through the PT_LOAD segments. */
  const toOffset = (addr: number): number | undefined => {
    for (const p of phdrs) {
      if (p.type === PT_LOAD && addr >= p.vaddr && addr < p.vaddr + p.filesz) return p.offset + (addr - p.vaddr);
    }
    return undefined;
  };

  const needed: string[] = [];
  const runpath: string[] = [];
  let soname: string | null = null;
  const dyn = phdrs.find((p) => p.type === PT_DYNAMIC);
  if (dyn !== undefined) {
    const entSize = bits === 64 ? 16 : 8;
    const entries: Array<[number, number]> = [];
    const count = Math.min(Math.floor(dyn.filesz / entSize), 4096);
    for (let i = 0; i < count; i++) {
      const o = dyn.offset + i * entSize;
      if (!v.has(o, entSize)) {
        truncated = true;
        break;
      }
      const tag = bits === 64 ? v.addr(o) : v.u32(o);
      const val = bits === 64 ? v.addr(o + 8) : v.u32(o + 4);
      if (tag === 0) break;
      entries.push([tag, val]);
    }
    const strtabAddr = entries.find(([t]) => t === DT_STRTAB)?.[1];
    const strtab = strtabAddr === undefined ? undefined : toOffset(strtabAddr);
    const str = (off: number): string | null => (strtab === undefined ? null : v.cstr(strtab + off));
    for (const [tag, val] of entries) {
      if (tag === DT_NEEDED) {
        const s = str(val);
        if (s !== null) needed.push(s);
        else truncated = true;
      } else if (tag === DT_SONAME) soname = str(val);
      else if (tag === DT_RUNPATH || tag === DT_RPATH) {
        const s = str(val);
        if (s !== null) runpath.push(...s.split(':').filter((x) => x !== ''));
      }
    }
  }

  const sections: ElfSection[] = [];
  const minSh = bits === 64 ? 64 : 40;
  if (shnum > 0 && shentsize >= minSh && shnum < 65280) {
    const raw: Array<{ nameOff: number; type: number; offset: number; size: number }> = [];
    for (let i = 0; i < shnum; i++) {
      const o = shoff + i * shentsize;
      if (!v.has(o, minSh)) {
        truncated = true;
        break;
      }
      raw.push(
        bits === 64
          ? { nameOff: v.u32(o), type: v.u32(o + 4), offset: v.addr(o + 24), size: v.addr(o + 32) }
          : { nameOff: v.u32(o), type: v.u32(o + 4), offset: v.u32(o + 16), size: v.u32(o + 20) },
      );
    }
    const strSec = raw[shstrndx];
    for (const s of raw) {
      const name = strSec !== undefined ? (v.cstr(strSec.offset + s.nameOff, 256) ?? '') : '';
      sections.push({ name, type: s.type, offset: s.offset, size: s.size });
    }
  }

  const dlopen: DlopenNote[] = [];
  for (const s of sections) {
    if (s.type !== SHT_NOTE || s.name !== '.note.dlopen') continue;
    if (!v.has(s.offset, s.size)) {
      truncated = true;
      continue;
    }
    dlopen.push(...parseDlopenNotes(v, s.offset, s.size));
  }

  return {
    ...base,
    interp,
    needed,
    soname,
    runpath,
    sections,
    dlopen,
    // Static-PIE (qemu-user-static, Bottlerocket's kmod) is ET_DYN with PT_DYNAMIC but no PT_INTERP and no NEEDED.
    isStatic: interp === null && needed.length === 0,
    truncated,
  };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function parseDlopenNotes(v: View, start: number, size: number): DlopenNote[] {
  const out: DlopenNote[] = [];
  let o = start;
  const end = start + size;
  while (o + 12 <= end) {
    const namesz = v.u32(o);
    const descsz = v.u32(o + 4);
    const ntype = v.u32(o + 8);
    const nameOff = o + 12;
    const descOff = nameOff + align4(namesz);
    const next = descOff + align4(descsz);
    if (next > end || next <= o) break;
    const owner = Buffer.from(v.b.buffer, v.b.byteOffset + nameOff, Math.max(0, namesz - 1)).toString('latin1');
    if (owner === 'FDO' && ntype === NT_FDO_DLOPEN_METADATA) {
      const text = Buffer.from(v.b.buffer, v.b.byteOffset + descOff, descsz).toString('utf8').replace(/\0+$/, '');
      try {
        const parsed: unknown = JSON.parse(text);
        for (const e of Array.isArray(parsed) ? parsed : []) {
          if (typeof e !== 'object' || e === null) continue;
          const r = e as Record<string, unknown>;
          const so = Array.isArray(r.soname) ? r.soname.filter((x): x is string => typeof x === 'string') : [];
          out.push({
            ...(typeof r.feature === 'string' ? { feature: r.feature } : {}),
            ...(typeof r.description === 'string' ? { description: r.description } : {}),
            ...(typeof r.priority === 'string' ? { priority: r.priority } : {}),
            soname: so,
          });
        }
      } catch {
        // A malformed note is ignored: the binary still runs, only this metadata is missing.
      }
    }
    o = next;
  }
  return out;
}
