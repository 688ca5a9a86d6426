// Facts about an image's host-facing tools (modprobe, iptables, nft, busybox, qemu): read from its files, never judged.
// The host × image checks in src/kb/image-checks/ judge them against a target.

export interface ImagePlatform {
  readonly os: string;
  /** OCI/GOARCH name: amd64, arm64, arm, 386, ppc64le, s390x, riscv64, … */
  readonly architecture: string;
  readonly variant?: string;
}

/** What an ELF binary in the image is, as far as nodefit needs it. */
export interface BinaryFacts {
  /** Path as the workload names it, e.g. "/sbin/modprobe". */
  readonly path: string;
  /** Every symlink hop, ending at the real file inside the image. */
  readonly chain: readonly string[];
  readonly realPath: string;
  /** "elf", "script" (#! line in `interpreter`), "missing" (dangling link), or "other". */
  readonly kind: 'elf' | 'script' | 'other' | 'missing';
  readonly arch?: string;
  readonly isStatic?: boolean;
  readonly interpreter?: string;
  /** DT_NEEDED sonames, each with whether a file of that name exists in the image's library directories. */
  readonly needed?: readonly { readonly soname: string; readonly found: string | null }[];
  /** Libraries the binary dlopen()s on demand (.note.dlopen, kmod >= 34), with whether each is in the image. */
  readonly dlopen?: readonly { readonly feature: string; readonly soname: string; readonly found: string | null }[];
}

export type Decompressor = 'gzip' | 'xz' | 'zstd';

/** The modprobe the workload runs, with what it can decompress in user space. */
export interface ModprobeFacts {
  readonly binary: BinaryFacts;
  readonly implementation: 'kmod' | 'busybox' | 'unknown';
  /** kmod: "30"; busybox: "1.35.0". */
  readonly version: string | null;
  /** kmod's compiled feature line as `kmod --version` prints it, e.g. "+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL". */
  readonly featureLine: string | null;
  /** Formats it decompresses itself, each true/false; absent when nodefit could not tell. */
  readonly userspace: Partial<Record<Decompressor, boolean>>;
  /** Why a format is missing even though compiled in (e.g. dlopen library absent from the image). */
  readonly notes: readonly string[];
  /**
   * Whether it hands compressed modules to the kernel (finit_module MODULE_INIT_COMPRESSED_FILE) when
   * /sys/module/compression matches: kmod >= 33 for any format, busybox >= 1.37.
   */
  readonly inKernelFallback: boolean;
}

export interface BusyboxFacts {
  readonly path: string;
  readonly version: string | null;
  readonly applets: readonly string[];
  /** Seamless decompressors compiled in (FEATURE_SEAMLESS_GZ/_XZ; busybox has no zstd). */
  readonly decompressors: readonly Decompressor[];
  readonly isStatic: boolean;
}

export type ImageIptablesMode = 'legacy' | 'nft' | 'wrapper' | 'unknown';

export interface IptablesFacts {
  readonly binary: BinaryFacts;
  readonly mode: ImageIptablesMode;
  /** iptables-wrapper files present in the image (e.g. /iptables-wrapper, /iptables-wrapper-installer.sh). */
  readonly wrapperFiles: readonly string[];
  /** The kube-router pattern: wrapper shipped, but iptables still points straight at a fixed backend. */
  readonly wrapperNotInstalled: boolean;
  /** Backends whose multi-call binary exists in the image. */
  readonly backendsPresent: readonly ('legacy' | 'nft')[];
  /**
   * For a wrapper: what it picks when the host shows no rules and no KUBE-IPTABLES-HINT, read from the wrapper
   * itself. A script comparing its rule counts with -ge takes legacy on a tie (iptables-wrapper before its v2 tag),
   * with -gt nft; the Go wrapper (an ELF that names the hint chain) takes nft. Absent when nodefit cannot tell.
   */
  readonly wrapperUndecided?: 'legacy' | 'nft';
}

export interface QemuFacts {
  readonly path: string;
  /** Architecture the interpreter emulates, from its name (qemu-aarch64-static → arm64). */
  readonly emulates: string;
  /** Architecture the interpreter itself runs on (its ELF header). */
  readonly runsOn?: string;
  readonly isStatic?: boolean;
}

export interface ImageFacts {
  /** What was inspected, e.g. "oci:./cilium-layout" or "docker-archive:./kube-router.tar". */
  readonly reference: string;
  readonly format: 'oci-layout' | 'oci-archive' | 'docker-archive' | 'rootfs-dir' | 'rootfs-tar';
  /** From the image config; for a rootfs, guessed from the main binaries. */
  readonly platform: ImagePlatform | null;
  readonly layers: number;
  readonly files: number;
  /** /etc/os-release (or /usr/lib/os-release) key → value. */
  readonly osRelease: Readonly<Record<string, string>> | null;
  /** The PATH used to resolve commands (image config Env, else the default). */
  readonly path: readonly string[];
  /** The modprobe `modprobe` resolves to through PATH; null when there is none. */
  readonly modprobe: ModprobeFacts | null;
  /** Every modprobe at a well-known path (/usr/local/sbin, /sbin, /usr/sbin, /bin, /usr/bin), for evidence. */
  readonly modprobeCandidates: readonly ModprobeFacts[];
  readonly busybox: BusyboxFacts | null;
  readonly iptables: IptablesFacts | null;
  /** Path of nft, null when absent. */
  readonly nft: string | null;
  readonly qemu: readonly QemuFacts[];
  /** Architecture of the main binaries (modprobe, iptables, nft, busybox, entrypoint), by path. */
  readonly binaryArchitectures: Readonly<Record<string, string>>;
  /** Problems met while reading (unreadable binary, symlink loop), for the report. */
  readonly warnings: readonly string[];
}
