// Turns one pass over a kernel package's payload into a PackageFs that mirrors the installed layout
// (/lib/modules/<release> or /usr/lib/modules/<release>, /boot/config-<release>), so the ordinary collectors read it.
//
// Memory trade-off (a kernel payload is ~0.4 GB uncompressed, ~4,000 modules):
// - kept whole: the config, modules.* text indexes (builtin, builtin.modinfo, order, and dep/alias/softdep if shipped);
// - module files: path, size and compression always; contents only for the modules the knowledge base names
//   (needed-modules.ts). Other contents are not kept: reading them fails with EIO naming why.
// - dependencies: where the package ships no modules.dep (Debian runs depmod at install), nodefit derives one from
//   .modinfo depends= for the needed modules and their transitive dependencies only. Uncompressed .ko files have
//   their .modinfo read as they stream past (cheap); compressed ones are held compressed (at most MODULE_HOLD_CAP
//   bytes in all, ~100 MB for Debian's 6.12) until the closure is known, then only the needed ones are decompressed.
import { decompressBuffer } from '../decompress.ts';
import { FILE_LIMITS } from '../limits.ts';
import { xzWasmBuffer } from '../xz-wasm.ts';
import { HostFsError } from '../../host/host-fs.ts';
import { foldModuleName, moduleFileKind } from '../../facts/modules/module-name.ts';
import type { ArchiveEntry, EntrySink } from '../entry.ts';
import { modinfoDepends, readModinfo } from './modinfo.ts';
import { PackageFs } from './package-fs.ts';

/** Compressed module bytes held at once while dependencies are unknown; past it, later modules' deps are unknown. */
export const MODULE_HOLD_CAP = 512 * 1024 * 1024;
/** Largest single module file read (the biggest in-tree module, amdgpu, is ~20 MB uncompressed). */
const MAX_MODULE = 128 * 1024 * 1024;
const MAX_TEXT = 64 * 1024 * 1024;

const MODULES_DIR = /^(usr\/)?lib\/modules\/([^/]+)\/(.+)$/;
const KEPT_INDEXES = new Set(['modules.builtin', 'modules.builtin.modinfo', 'modules.order', 'modules.dep', 'modules.alias', 'modules.softdep', 'modules.devname', 'modules.symbols', 'modules.builtin.alias']);

interface ModuleRecord {
  readonly abs: string;
  /** Path relative to the module directory. */
  readonly rel: string;
  readonly release: string;
  readonly compression: 'none' | 'gzip' | 'xz' | 'zstd';
  /** Compressed bytes while deps are unknown; for needed modules, kept for the tree. */
  held?: Buffer;
  /** depends= when already read (uncompressed modules, as they stream). null: no .modinfo. */
  depends?: string[] | null;
}

export interface PackageTree {
  readonly fs: PackageFs;
  readonly release: string;
  /** Where the module tree lives, e.g. "/lib/modules/6.1.0-27-amd64". */
  readonly moduleDir: string;
  readonly moduleCount: number;
  readonly moduleCompression: ReadonlySet<string>;
  /** Present when nodefit derived modules.dep: how many modules' .modinfo it read and which it could not. */
  readonly derivedDeps?: { readonly modules: number; readonly unreadable: readonly string[] };
}

function notKept(abs: string, file: string): () => Buffer {
  return () => {
    throw new HostFsError('EIO', abs, `content not kept: nodefit reads ${file} once and keeps only the modules its knowledge base needs`);
  };
}

export class TreeSink implements EntrySink {
  readonly fs: PackageFs;
  readonly modules = new Map<string, ModuleRecord>();
  readonly releases = new Map<string, number>();
  private held = 0;
  heldOverflow = 0;

  constructor(
    private readonly file: string,
    private readonly needed: ReadonlySet<string>,
  ) {
    this.fs = new PackageFs(file);
  }

  private moduleOf(path: string): { release: string; rel: string; name: string; compression: ModuleRecord['compression'] } | undefined {
    const m = MODULES_DIR.exec(path);
    if (m === null) return undefined;
    const rel = m[3] as string;
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    const k = moduleFileKind(base);
    if (k === undefined) return undefined;
    return { release: m[2] as string, rel, name: foldModuleName(k.stem), compression: k.compression };
  }

  want(e: ArchiveEntry): number {
    const mod = this.moduleOf(e.path);
    if (mod !== undefined) {
      // uncompressed: read .modinfo as it passes; compressed: hold under the cap until the dependency closure is known
      if (mod.compression === 'none') return MAX_MODULE;
      return this.held + e.size <= MODULE_HOLD_CAP ? MAX_MODULE : 0;
    }
    const idx = MODULES_DIR.exec(e.path);
    if (idx !== null && (KEPT_INDEXES.has(idx[3] as string) || idx[3] === 'config')) return MAX_TEXT;
    if (/^boot\/config-[^/]+$/.test(e.path)) return MAX_TEXT;
    return 0;
  }

  /** Uncompressed modules the KB does not name are only inspected for .modinfo, never kept. */
  transient(e: ArchiveEntry): boolean {
    const mod = this.moduleOf(e.path);
    return mod !== undefined && mod.compression === 'none' && !this.needed.has(mod.name);
  }

  entry(e: ArchiveEntry, data: Buffer | undefined): void {
    const abs = `/${e.path}`;
    if (e.kind === 'dir') {
      this.fs.addDir(abs, 0o40000 | e.mode);
      return;
    }
    if (e.kind === 'symlink') {
      this.fs.addSymlink(abs, e.linkTarget ?? '');
      return;
    }
    if (e.kind === 'hardlink') {
      // a hard link in a payload is another name for a file earlier in the stream
      const target = `/${(e.linkTarget ?? '').replace(/^\.?\//, '')}`;
      this.fs.addSymlink(abs, target);
      return;
    }
    if (e.kind !== 'file') return;
    const mod = this.moduleOf(e.path);
    if (mod !== undefined) {
      this.releases.set(mod.release, (this.releases.get(mod.release) ?? 0) + 1);
      const rec: ModuleRecord = { abs, rel: mod.rel, release: mod.release, compression: mod.compression };
      if (data !== undefined) {
        if (mod.compression === 'none') {
          const info = readModinfo(data);
          rec.depends = info === undefined ? null : modinfoDepends(info);
          if (this.needed.has(mod.name)) rec.held = data; // not transient: a buffer of its own
        } else {
          rec.held = data;
          this.held += data.length;
        }
      } else if (mod.compression !== 'none') {
        this.heldOverflow++;
      }
      const prev = this.modules.get(mod.name);
      // the same name twice (updates/ over kernel/): depmod's default search order prefers updates/
      if (prev === undefined || (rec.rel.startsWith('updates/') && !prev.rel.startsWith('updates/'))) this.modules.set(mod.name, rec);
      this.fs.addFile(abs, rec.held ?? notKept(abs, this.file), e.size, 0o100000 | e.mode);
      return;
    }
    this.fs.addFile(abs, data ?? notKept(abs, this.file), e.size, 0o100000 | e.mode);
  }
}

/** The release whose module directory holds the most modules (a kernel package installs one). */
export function pickRelease(sink: TreeSink): string | undefined {
  let best: string | undefined;
  let n = -1;
  for (const [r, c] of sink.releases) {
    if (c > n) {
      best = r;
      n = c;
    }
  }
  if (best !== undefined) return best;
  // a package with only a config (or an empty module dir): the module dir or /boot/config-<release> names it
  for (const d of ['/lib/modules', '/usr/lib/modules']) {
    const names = sink.fs.readdir(d);
    if (names !== undefined && names.length > 0) return names[0];
  }
  const boot = sink.fs.readdir('/boot')?.find((n) => n.startsWith('config-'));
  return boot?.slice('config-'.length);
}

/**
 * Derives modules.dep for the needed modules' dependency closure (depmod's format: "rel: dep-rel dep-rel", every
 * transitive dependency listed), decompressing only the compressed modules in that closure. Then drops held bytes
 * of modules the knowledge base does not name.
 */
export async function deriveDeps(sink: TreeSink, release: string, moduleDir: string, needed: ReadonlySet<string>): Promise<{ modules: number; unreadable: string[] }> {
  const direct = new Map<string, string[]>();
  const unreadable: string[] = [];
  const queue = [...needed].filter((n) => sink.modules.get(n)?.release === release).sort();
  const seen = new Set(queue);
  while (queue.length > 0) {
    const name = queue.shift() as string;
    const rec = sink.modules.get(name);
    if (rec === undefined) continue;
    let depends = rec.depends;
    if (depends === undefined && rec.held !== undefined) {
      try {
        const limits = { ...FILE_LIMITS, name: sink.fs.display(rec.abs) };
        const elf = rec.compression === 'xz' ? await xzWasmBuffer(rec.held, limits) : await decompressBuffer(rec.held, limits);
        const info = readModinfo(elf);
        depends = info === undefined ? null : modinfoDepends(info);
      } catch {
        depends = undefined;
      }
    }
    if (depends === undefined || depends === null) {
      unreadable.push(name);
      continue;
    }
    direct.set(name, depends);
    for (const d of depends) {
      if (!seen.has(d) && sink.modules.has(d)) {
        seen.add(d);
        queue.push(d);
      }
    }
  }
  // release held bytes of modules that are not themselves needed
  for (const [name, rec] of sink.modules) {
    if (!needed.has(name) && rec.held !== undefined && rec.compression !== 'none') {
      rec.held = undefined;
      sink.fs.addFile(rec.abs, notKept(rec.abs, sink.fs.packageFile), sink.fs.stat(rec.abs)?.size ?? 0);
    }
  }
  const lines: string[] = [];
  for (const name of [...direct.keys()].sort()) {
    const rec = sink.modules.get(name) as ModuleRecord;
    const order: string[] = [];
    const visited = new Set<string>([name]);
    const q = [...(direct.get(name) ?? [])];
    while (q.length > 0) {
      const d = q.shift() as string;
      if (visited.has(d)) continue;
      visited.add(d);
      const dr = sink.modules.get(d);
      if (dr !== undefined) order.push(dr.rel);
      q.push(...(direct.get(d) ?? []));
    }
    lines.push(`${rec.rel}:${order.map((p) => ` ${p}`).join('')}`);
  }
  const depPath = `${moduleDir}/modules.dep`;
  sink.fs.addFile(depPath, Buffer.from(lines.join('\n') + (lines.length > 0 ? '\n' : ''), 'utf8'));
  const note = `derived by nodefit from the .modinfo depends= of ${direct.size} modules the knowledge base needs and their dependencies; the package ships no modules.dep${unreadable.length > 0 ? `; unreadable: ${unreadable.join(', ')}` : ''}`;
  sink.fs.noteDerived(depPath, note);
  return { modules: direct.size, unreadable };
}
