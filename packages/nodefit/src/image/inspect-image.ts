// Turns a loaded image tree into ImageFacts: which modprobe/iptables/nft the workload runs, what they are built with,
// which QEMU interpreters ship, and what architecture the main binaries are. Reads only the in-memory tree.
import * as posix from 'node:path/posix';

import { UserError } from '../cli/user-error.ts';
import { HostFsError } from '../host/host-fs.ts';
import { isElf, readElf, type ElfInfo } from '../elf/read-elf.ts';
import type {
  BinaryFacts,
  BusyboxFacts,
  Decompressor,
  ImageFacts,
  IptablesFacts,
  ModprobeFacts,
  QemuFacts,
} from './image-facts.ts';
import type { LoadedImage } from './load-image.ts';
import {
  busyboxDecompressors,
  featuresToDecompressors,
  parseBusyboxStrings,
  parseKmodStrings,
  parseWrapperUndecided,
  qemuEmulates,
  versionAtLeast,
} from './tool-parsers.ts';

/** Docker's and containerd's default PATH when the image config sets none. */
export const DEFAULT_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute paths workloads call modprobe by (Bottlerocket >= 1.20.2 mounts its static kmod at the first). */
export const MODPROBE_PATHS = ['/usr/local/sbin/modprobe', '/usr/sbin/modprobe', '/sbin/modprobe', '/usr/bin/modprobe', '/bin/modprobe'];

const LIB_TRIPLETS: Record<string, string> = {
  amd64: 'x86_64-linux-gnu',
  arm64: 'aarch64-linux-gnu',
  '386': 'i386-linux-gnu',
  arm: 'arm-linux-gnueabihf',
  ppc64le: 'powerpc64le-linux-gnu',
  s390x: 's390x-linux-gnu',
  riscv64: 'riscv64-linux-gnu',
};

/** libkmod's dlopen features (kmod >= 34, -Ddlopen=…) → the decompressor each provides. */
const DLOPEN_FEATURE: Record<string, Decompressor> = { zlib: 'gzip', xz: 'xz', zstd: 'zstd' };
const DLOPEN_SONAME: Record<Decompressor, string> = { gzip: 'libz.so.1', xz: 'liblzma.so.5', zstd: 'libzstd.so.1' };

class Inspector {
  readonly warnings: string[] = [];
  private readonly elfCache = new Map<string, ElfInfo | undefined>();

  constructor(private readonly img: LoadedImage) {}

  private get fs() {
    return this.img.fs;
  }

  /** stat/lstat/readdir that treat a symlink loop on the way as "absent" and note it, instead of throwing. */
  private guard<T>(path: string, f: () => T | undefined): T | undefined {
    try {
      return f();
    } catch (e) {
      if (e instanceof HostFsError) {
        this.warnings.push(`${path}: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  }
  stat(path: string) {
    return this.guard(path, () => this.fs.stat(path));
  }
  lstat(path: string) {
    return this.guard(path, () => this.fs.lstat(path));
  }
  readdir(path: string) {
    return this.guard(path, () => this.fs.readdir(path));
  }

  /** Follows a path's symlinks hop by hop inside the image; undefined real path when it dangles. */
  chain(path: string): { chain: string[]; real: string | undefined } {
    const chain = [path];
    let cur = path;
    for (let hops = 0; hops <= 40; hops++) {
      let parent: string;
      try {
        parent = this.fs.realpath(posix.dirname(cur));
      } catch (e) {
        if (e instanceof HostFsError && e.code === 'ELOOP') break;
        return { chain, real: undefined };
      }
      const p = posix.join(parent, posix.basename(cur));
      const st = this.lstat(p);
      if (st === undefined) return { chain, real: undefined };
      if (st.kind !== 'symlink') return { chain, real: p };
      const t = this.fs.readlink(p) ?? '';
      cur = t.startsWith('/') ? posix.normalize(t) : posix.normalize(posix.join(parent, t));
      chain.push(cur);
    }
    throw new UserError(`${this.img.reference}: symlink loop at ${path} (${chain.slice(0, 6).join(' -> ')} -> …)`);
  }

  elf(real: string): ElfInfo | undefined {
    if (this.elfCache.has(real)) return this.elfCache.get(real);
    const buf = this.img.tree.readPrefix(real);
    const info = buf !== undefined && isElf(buf) ? readElf(buf) : undefined;
    this.elfCache.set(real, info);
    return info;
  }

  whole(real: string): Buffer | undefined {
    try {
      return this.fs.readFile(real);
    } catch {
      return undefined;
    }
  }

  findLibrary(soname: string, elf: ElfInfo): string | null {
    const dirs = [...elf.runpath.filter((d) => d.startsWith('/'))];
    const triplet = LIB_TRIPLETS[elf.arch];
    for (const base of ['/lib', '/usr/lib', '/usr/local/lib']) {
      if (triplet !== undefined) dirs.push(`${base}/${triplet}`);
      dirs.push(base);
    }
    dirs.push(elf.bits === 64 ? '/lib64' : '/lib32', elf.bits === 64 ? '/usr/lib64' : '/usr/lib32');
    for (const d of dirs) {
      const p = `${d}/${soname}`;
      try {
        if (this.fs.stat(p)?.kind === 'file') return p;
      } catch {
        // A loop or a file in the middle of the path: not a usable library.
      }
    }
    return null;
  }

  binary(path: string): BinaryFacts {
    const { chain, real } = this.chain(path);
    if (real === undefined) return { path, chain, realPath: chain[chain.length - 1]!, kind: 'missing' };
    const elf = this.elf(real);
    if (elf === undefined) {
      const head = this.img.tree.readPrefix(real);
      if (head !== undefined && head[0] === 0x23 && head[1] === 0x21) {
        const line = head.subarray(2, Math.max(2, head.indexOf(0x0a) < 0 ? 130 : head.indexOf(0x0a))).toString('latin1').trim();
        return { path, chain, realPath: real, kind: 'script', interpreter: line };
      }
      return { path, chain, realPath: real, kind: 'other' };
    }
    const facts: BinaryFacts = {
      path,
      chain,
      realPath: real,
      kind: 'elf',
      arch: elf.arch,
      isStatic: elf.isStatic,
      ...(elf.interp !== null ? { interpreter: elf.interp } : {}),
      ...(!elf.truncated ? { needed: elf.needed.map((soname) => ({ soname, found: this.findLibrary(soname, elf) })) } : {}),
    };
    if (elf.dlopen.length > 0) {
      const dl: { feature: string; soname: string; found: string | null }[] = [];
      for (const n of elf.dlopen) for (const so of n.soname) dl.push({ feature: n.feature ?? '', soname: so, found: this.findLibrary(so, elf) });
      return { ...facts, dlopen: dl };
    }
    return facts;
  }

  /** First PATH directory holding an executable of that name (dangling links are skipped, as execvp does). */
  which(name: string, path: readonly string[]): string | undefined {
    for (const d of path) {
      const p = `${d === '/' ? '' : d}/${name}`;
      let st;
      try {
        st = this.fs.stat(p);
      } catch (e) {
        if (e instanceof HostFsError && e.code === 'ELOOP') this.chain(p);
        continue;
      }
      if (st?.kind === 'file') return p;
      if (st === undefined && this.lstat(p)?.kind === 'symlink') this.chain(p); // surfaces a loop as a UserError
    }
    return undefined;
  }

  modprobe(path: string): ModprobeFacts {
    const binary = this.binary(path);
    const notes: string[] = [];
    const content = binary.kind === 'elf' ? this.whole(binary.realPath) : undefined;
    if (content === undefined) {
      if (binary.kind === 'missing') notes.push(`${path} is a dangling link (${binary.chain.join(' -> ')})`);
      return { binary, implementation: 'unknown', version: null, featureLine: null, userspace: {}, notes, inKernelFallback: false };
    }
    const missingLibs = (binary.needed ?? []).filter((n) => n.found === null).map((n) => n.soname);
    const km = parseKmodStrings(content);
    if (km.version !== null || km.featureLine !== null) {
      let userspace = km.featureLine !== null ? featuresToDecompressors(km.featureLine) : {};
      for (const d of binary.dlopen ?? []) {
        const fmt = DLOPEN_FEATURE[d.feature] ?? (Object.entries(DLOPEN_SONAME).find(([, so]) => so === d.soname)?.[0] as Decompressor | undefined);
        if (fmt !== undefined && userspace[fmt] === true && d.found === null) {
          userspace = { ...userspace, [fmt]: false };
          notes.push(`kmod dlopen()s ${d.soname} for ${fmt} modules, and the image has no ${d.soname}`);
        }
      }
      if (missingLibs.length > 0) {
        notes.push(`${binary.realPath} needs ${missingLibs.join(', ')}, missing from the image: it cannot start`);
        userspace = { gzip: false, xz: false, zstd: false };
      }
      return {
        binary,
        implementation: 'kmod',
        version: km.version,
        featureLine: km.featureLine,
        userspace,
        notes,
        inKernelFallback: km.version !== null && versionAtLeast(km.version, [33]),
      };
    }
    const bb = parseBusyboxStrings(content);
    if (bb.version !== null) {
      const dec = busyboxDecompressors(bb.applets);
      const userspace: Partial<Record<Decompressor, boolean>> = { gzip: dec.includes('gzip'), xz: dec.includes('xz'), zstd: false };
      if (!bb.applets.includes('modprobe') && bb.applets.length > 0) notes.push(`BusyBox at ${binary.realPath} has no modprobe applet`);
      return {
        binary,
        implementation: 'busybox',
        version: bb.version,
        featureLine: null,
        userspace: missingLibs.length > 0 ? { gzip: false, xz: false, zstd: false } : userspace,
        notes,
        inKernelFallback: versionAtLeast(bb.version, [1, 37]),
      };
    }
    notes.push(`${binary.realPath} is neither kmod nor BusyBox (no version string found)`);
    return { binary, implementation: 'unknown', version: null, featureLine: null, userspace: {}, notes, inKernelFallback: false };
  }

  busybox(modprobe: ModprobeFacts | null): BusyboxFacts | null {
    const candidates = ['/bin/busybox', '/usr/bin/busybox', '/sbin/busybox', '/usr/sbin/busybox'];
    if (modprobe?.implementation === 'busybox') candidates.unshift(modprobe.binary.realPath);
    for (const p of candidates) {
      const { real } = this.chain(p);
      if (real === undefined) continue;
      const content = this.whole(real);
      if (content === undefined) continue;
      const bb = parseBusyboxStrings(content);
      if (bb.version === null) continue;
      return { path: p, version: bb.version, applets: bb.applets, decompressors: busyboxDecompressors(bb.applets), isStatic: this.elf(real)?.isStatic ?? false };
    }
    return null;
  }

  iptables(path: readonly string[]): IptablesFacts | null {
    const found = this.which('iptables', path) ?? (this.lstat('/sbin/iptables') !== undefined ? '/sbin/iptables' : undefined);
    const wrapperFiles: string[] = [];
    for (const d of ['', '/sbin', '/usr/sbin', '/bin', '/usr/bin', '/usr/local/sbin']) {
      for (const n of ['iptables-wrapper', 'iptables-wrapper-installer.sh']) {
        if (this.lstat(`${d}/${n}`) !== undefined) wrapperFiles.push(`${d}/${n}`);
      }
    }
    const backendsPresent: ('legacy' | 'nft')[] = [];
    const anyOf = (names: string[]): boolean => ['/sbin', '/usr/sbin', '/bin', '/usr/bin'].some((d) => names.some((n) => this.stat(`${d}/${n}`)?.kind === 'file'));
    if (anyOf(['xtables-legacy-multi', 'iptables-legacy'])) backendsPresent.push('legacy');
    if (anyOf(['xtables-nft-multi', 'iptables-nft'])) backendsPresent.push('nft');
    if (found === undefined) return null;
    const binary = this.binary(found);
    const names = binary.chain.map((p) => posix.basename(p));
    let mode: IptablesFacts['mode'] = 'unknown';
    // read once: a script's text decides whether it is a wrapper, and a wrapper's what it picks on a tie
    let content: Buffer | undefined;
    if (names.some((n) => n.startsWith('iptables-wrapper'))) mode = 'wrapper';
    else if (names.some((n) => n === 'xtables-legacy-multi' || n === 'iptables-legacy')) mode = 'legacy';
    else if (names.some((n) => n === 'xtables-nft-multi' || n === 'iptables-nft')) mode = 'nft';
    else if (binary.kind === 'script') {
      content = this.whole(binary.realPath);
      if (/KUBE-IPTABLES-HINT|iptables-wrapper/.test(content?.toString('latin1') ?? '')) mode = 'wrapper';
    }
    const undecided = mode === 'wrapper' ? parseWrapperUndecided(binary.kind, content ?? this.whole(binary.realPath)) : undefined;
    return {
      binary,
      mode,
      wrapperFiles,
      wrapperNotInstalled: wrapperFiles.length > 0 && (mode === 'legacy' || mode === 'nft'),
      backendsPresent,
      ...(undecided === undefined ? {} : { wrapperUndecided: undecided }),
    };
  }

  qemu(): QemuFacts[] {
    const out: QemuFacts[] = [];
    const seen = new Set<string>();
    for (const d of ['/usr/bin', '/usr/local/bin', '/bin', '/usr/sbin', '/sbin', '/usr/libexec', '/']) {
      for (const n of this.readdir(d) ?? []) {
        const emulates = qemuEmulates(n);
        if (emulates === undefined) continue;
        const p = `${d === '/' ? '' : d}/${n}`;
        const { real } = this.chain(p);
        if (real === undefined || seen.has(p)) continue;
        seen.add(p);
        const elf = this.elf(real);
        out.push({ path: p, emulates, ...(elf !== undefined ? { runsOn: elf.arch, isStatic: elf.isStatic } : {}) });
      }
    }
    return out;
  }

  osRelease(): Record<string, string> | null {
    for (const p of ['/etc/os-release', '/usr/lib/os-release']) {
      const buf = this.whole(p);
      if (buf === undefined) continue;
      const out: Record<string, string> = {};
      for (const line of buf.toString('utf8').split('\n')) {
        const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
        if (m === null) continue;
        out[m[1]!] = m[2]!.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
      }
      return out;
    }
    return null;
  }
}

function imagePath(env: readonly string[]): string[] {
  const p = env.find((e) => e.startsWith('PATH='));
  if (p === undefined) return DEFAULT_PATH;
  return p.slice(5).split(':').filter((d) => d.startsWith('/'));
}

/** Facts about a loaded image. Throws UserError only for a symlink loop on a path it must follow. */
export function inspectImage(img: LoadedImage): ImageFacts {
  const ins = new Inspector(img);
  const path = imagePath(img.env);
  const which = ins.which('modprobe', path);
  const modprobe = which !== undefined ? ins.modprobe(which) : null;
  const modprobeCandidates: ModprobeFacts[] = [];
  for (const p of MODPROBE_PATHS) {
    if (p === which) {
      if (modprobe !== null) modprobeCandidates.push(modprobe);
      continue;
    }
    if (ins.lstat(p) !== undefined) modprobeCandidates.push(ins.modprobe(p));
  }
  const busybox = ins.busybox(modprobe);
  const iptables = ins.iptables(path);
  const nftPath = ins.which('nft', path) ?? null;
  const binaryArchitectures: Record<string, string> = {};
  const note = (b: BinaryFacts | undefined): void => {
    if (b?.arch !== undefined) binaryArchitectures[b.path] = b.arch;
  };
  note(modprobe?.binary);
  note(iptables?.binary);
  if (nftPath !== null) note(ins.binary(nftPath));
  if (busybox !== null) note(ins.binary(busybox.path));
  const entry = img.entrypoint[0];
  if (entry !== undefined) {
    const p = entry.startsWith('/') ? entry : ins.which(entry, path);
    if (p !== undefined && ins.lstat(p) !== undefined) note(ins.binary(p));
  }
  let platform = img.platform;
  if (platform === null) {
    const counts = new Map<string, number>();
    for (const a of Object.values(binaryArchitectures)) counts.set(a, (counts.get(a) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (top !== undefined) platform = { os: 'linux', architecture: top[0] };
  }
  return {
    reference: img.reference,
    format: img.format,
    platform,
    layers: img.layers,
    files: img.files,
    osRelease: ins.osRelease(),
    path,
    modprobe,
    modprobeCandidates,
    busybox,
    iptables,
    nft: nftPath,
    qemu: ins.qemu(),
    binaryArchitectures,
    warnings: ins.warnings,
  };
}
