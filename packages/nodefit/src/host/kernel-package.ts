// Reads a kernel package (.deb or .rpm) in place, streaming its payload once, into a MemoryFs that mirrors the
// installed layout, so `--kernel-package FILE` and either side of `nodefit diff` run the ordinary collectors on it.
// The reading itself (ar, tar, rpm headers, cpio, .modinfo) lives in src/archive/; see build-tree.ts for what is kept.
import { UserError } from '../cli/user-error.ts';
import { ArchiveError } from '../archive/archive-error.ts';
import { DecompressError, type DecompressLimits } from '../archive/limits.ts';
import { deriveDeps, pickRelease, TreeSink } from '../archive/kernel-package/build-tree.ts';
import { neededModules } from '../archive/kernel-package/needed-modules.ts';
import { PACKAGE_LIMITS, streamPayload, type PayloadInfo } from '../archive/kernel-package/payload.ts';
import type { MemoryFs } from './memory-fs.ts';

export interface KernelPackageTree {
  readonly fs: MemoryFs;
  /** The kernel release the package installs, e.g. "6.1.0-27-amd64". */
  readonly release: string;
  /** What was read: package kind, name and version, payload compression, where the modules live. */
  readonly info?: PayloadInfo & {
    readonly moduleDir: string | null;
    readonly moduleCount: number;
    readonly moduleCompression: readonly string[];
    readonly derivedDeps?: { readonly modules: number; readonly unreadable: readonly string[] };
  };
}

export interface ReadKernelPackageOptions {
  /** Module names whose contents to keep and whose dependencies to derive (default: every module the KB names). */
  readonly neededModules?: ReadonlySet<string>;
  /** Decompression limits for the payload (tests lower them to exercise the bomb guard). */
  readonly limits?: Omit<DecompressLimits, 'name'>;
}

export async function readKernelPackage(file: string, options: ReadKernelPackageOptions = {}): Promise<KernelPackageTree> {
  const needed = options.neededModules ?? neededModules();
  const sink = new TreeSink(file, needed);
  let info: PayloadInfo;
  try {
    info = await streamPayload(file, sink, { ...PACKAGE_LIMITS, ...options.limits, name: file });
  } catch (e) {
    if (e instanceof ArchiveError || e instanceof DecompressError) throw new UserError(e.message);
    throw e;
  }
  const release = pickRelease(sink);
  if (release === undefined) {
    throw new UserError(`${file}: not a kernel package: no /lib/modules/<release> directory and no /boot/config-<release> in it`);
  }
  const moduleDir = ['/lib/modules', '/usr/lib/modules'].map((d) => `${d}/${release}`).find((d) => sink.fs.stat(d)?.kind === 'dir') ?? null;
  let derivedDeps: { modules: number; unreadable: string[] } | undefined;
  if (moduleDir !== null && sink.fs.stat(`${moduleDir}/modules.dep`) === undefined && sink.modules.size > 0) {
    derivedDeps = await deriveDeps(sink, release, moduleDir, needed);
  }
  const compressions = new Set<string>();
  let moduleCount = 0;
  for (const rec of sink.modules.values()) {
    if (rec.release !== release) continue;
    moduleCount++;
    compressions.add(rec.compression);
  }
  return {
    fs: sink.fs,
    release,
    info: {
      ...info,
      moduleDir,
      moduleCount,
      moduleCompression: [...compressions].sort(),
      ...(derivedDeps !== undefined ? { derivedDeps } : {}),
    },
  };
}
