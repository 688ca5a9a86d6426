// Pure parsers for what image binaries say about themselves: kmod's version and compiled feature line, BusyBox's
// banner and applet table. Property-tested; they never throw.
import type { Decompressor } from './image-facts.ts';

/**
 * kmod prints `kmod version N` and then KMOD_FEATURES, a line of +NAME/-NAME tokens assembled at build time
 * (configure.ac before kmod 34, meson.build after): "+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL" in Debian 12's kmod 30
 * (verified on kmod_30+20221128-1_amd64.deb). Both are plain C strings in the binary.
 */
export interface KmodStrings {
  readonly version: string | null;
  readonly featureLine: string | null;
}

const FEATURE_TOKEN = /^[+-][A-Z][A-Z0-9_]*(\([a-z0-9_,-]*\))?$/;

export function isKmodFeatureLine(s: string): boolean {
  const tokens = s.trim().split(/\s+/);
  if (tokens.length < 2 || !tokens.every((t) => FEATURE_TOKEN.test(t))) return false;
  const names = tokens.map((t) => t.slice(1).replace(/\(.*$/, ''));
  return names.includes('XZ') || names.includes('ZLIB') || names.includes('ZSTD');
}

function printable(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c === 0x09;
}

/** The printable run around byte i, cut where printableStrings cuts: [start, end). */
function runAround(buf: Buffer, i: number): [number, number] {
  let start = i;
  while (start > 0 && printable(buf[start - 1]!)) start--;
  let end = i;
  while (end < buf.length && printable(buf[end]!)) end++;
  return [start, end];
}

/**
 * The first of printableStrings(bin, 6) that `accept` takes, looking only at the runs holding one of `needles` (each
 * string `accept` can take holds one): the same answer as walking every string of a multi-megabyte binary, found with
 * native substring search instead.
 */
function firstStringWith(buf: Buffer, needles: readonly string[], accept: (s: string) => boolean): string | null {
  const starts = new Map<number, number>();
  for (const needle of needles) {
    for (let i = buf.indexOf(needle, 0, 'latin1'); i >= 0; i = buf.indexOf(needle, i + 1, 'latin1')) {
      const [start, end] = runAround(buf, i);
      if (end - start >= 6) starts.set(start, end);
      i = Math.max(i, end - 1);
    }
  }
  for (const start of [...starts.keys()].sort((a, b) => a - b)) {
    const s = buf.toString('latin1', start, starts.get(start));
    if (accept(s)) return s;
  }
  return null;
}

const KMOD_VERSION = /^kmod version (\d+(?:\.\d+)*)$/;

export function parseKmodStrings(bin: Uint8Array): KmodStrings {
  const buf = Buffer.from(bin.buffer, bin.byteOffset, bin.byteLength);
  const v = firstStringWith(buf, ['kmod version '], (s) => KMOD_VERSION.test(s));
  const featureLine = firstStringWith(buf, ['XZ', 'ZLIB', 'ZSTD'], isKmodFeatureLine)?.trim() ?? null;
  return { version: v === null ? null : KMOD_VERSION.exec(v)![1]!, featureLine };
}

/** +ZLIB → gzip, +XZ → xz, +ZSTD → zstd; formats the line does not mention stay absent. */
export function featuresToDecompressors(line: string): Partial<Record<Decompressor, boolean>> {
  const out: Partial<Record<Decompressor, boolean>> = {};
  const map: Record<string, Decompressor> = { ZLIB: 'gzip', XZ: 'xz', ZSTD: 'zstd' };
  for (const t of line.trim().split(/\s+/)) {
    const name = t.slice(1).replace(/\(.*$/, '');
    const d = map[name];
    if (d !== undefined) out[d] = t.startsWith('+');
  }
  return out;
}

export interface BusyboxStrings {
  readonly version: string | null;
  readonly applets: readonly string[];
}

const APPLET = /^[a-z0-9_.[\]-]{1,40}$/;

/** BusyBox's banner ("BusyBox v1.35.0 (Debian …)") and its sorted applet-name table (starts "[\0[[\0"). */
export function parseBusyboxStrings(bin: Uint8Array): BusyboxStrings {
  const buf = Buffer.from(bin.buffer, bin.byteOffset, bin.byteLength);
  let version: string | null = null;
  const b = buf.indexOf('BusyBox v');
  if (b >= 0) {
    const m = /^BusyBox v(\d+\.\d+(?:\.\d+)?)/.exec(buf.subarray(b, b + 64).toString('latin1'));
    if (m !== null) version = m[1]!;
  }
  const applets: string[] = [];
  const start = buf.indexOf(Buffer.from('[\0[[\0', 'latin1'));
  if (start >= 0) {
    let i = start;
    while (i < buf.length && applets.length < 2000) {
      const end = buf.indexOf(0, i);
      if (end < 0 || end === i) break;
      const name = buf.subarray(i, end).toString('latin1');
      if (!APPLET.test(name)) break;
      applets.push(name);
      i = end + 1;
    }
  }
  return { version, applets };
}

/**
 * Decompressors BusyBox's modprobe can use. Its seamless decompression (FEATURE_SEAMLESS_GZ/_XZ) shares the unpackers
 * of the gunzip/unxz applets, so their presence stands in for the (not otherwise visible) config options. BusyBox has
 * no zstd unpacker at all (incidents.md, Case 1: "BusyBox modprobe/insmod").
 */
export function busyboxDecompressors(applets: readonly string[]): Decompressor[] {
  const out: Decompressor[] = [];
  if (applets.includes('gunzip') || applets.includes('zcat')) out.push('gzip');
  if (applets.includes('unxz') || applets.includes('xzcat')) out.push('xz');
  return out;
}

/** Compares dotted numeric versions; non-numeric parts count as 0. */
export function versionAtLeast(v: string, min: readonly number[]): boolean {
  const parts = v.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    const a = parts[i] ?? 0;
    if (a !== min[i]) return a > min[i]!;
  }
  return true;
}

/** QEMU's target names → OCI architecture names. */
const QEMU_ARCH: Record<string, string> = {
  aarch64: 'arm64',
  aarch64_be: 'arm64be',
  x86_64: 'amd64',
  i386: '386',
  arm: 'arm',
  armeb: 'armbe',
  ppc64le: 'ppc64le',
  ppc64: 'ppc64',
  ppc: 'ppc',
  s390x: 's390x',
  riscv64: 'riscv64',
  riscv32: 'riscv32',
  mips64el: 'mips64le',
  mips64: 'mips64',
  mipsel: 'mipsle',
  mips: 'mips',
  loongarch64: 'loong64',
  sparc64: 'sparc64',
};

/** "qemu-aarch64-static" → "arm64"; undefined for qemu-img, qemu-system-* and other tools. */
export function qemuEmulates(basename: string): string | undefined {
  const m = /^qemu-([a-z0-9_]+?)(-static)?$/.exec(basename);
  if (m === null || m[1] === 'img' || m[1] === 'nbd' || m[1] === 'io' || m[1] === 'storage' || m[1] === 'pr') return undefined;
  return QEMU_ARCH[m[1]!] ?? m[1];
}

/**
 * What an iptables-wrapper picks when the host shows nothing to follow, read from its own file. The shell wrappers
 * count the `-A` lines each backend's save prints and compare the legacy count with the nft one: `-ge` gives legacy on
 * a tie (kubernetes' debian-iptables wrapper of 2019, iptables-wrappers before its v2 tag), `-gt` nft (v2). The Go
 * wrapper (iptables-wrappers PR #6, 2023) has no count and defaults to nft; its binary names KUBE-IPTABLES-HINT.
 * Undefined when the file shows neither.
 */
export function parseWrapperUndecided(kind: 'elf' | 'script' | 'other' | 'missing', content: Buffer | undefined): 'legacy' | 'nft' | undefined {
  if (content === undefined) return undefined;
  const text = content.toString('latin1');
  if (kind === 'elf') return text.includes('KUBE-IPTABLES-HINT') ? 'nft' : undefined;
  if (kind !== 'script') return undefined;
  const m = /\$\{?num_legacy_lines\}?"?\s+-(ge|gt)\s+"?\$\{?num_nft_lines\b/.exec(text);
  return m === null ? undefined : m[1] === 'ge' ? 'legacy' : 'nft';
}
