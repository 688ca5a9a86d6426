// Architecture names: the machine's (uname -m style) from what a target offers, saying "unknown" rather than guessing,
// and the OCI and QEMU spellings of it that images and binfmt handlers use.

/** Node's process.arch → uname -m; only used for the live host, where Node runs on the machine being scanned. */
const NODE_ARCH: Readonly<Record<string, string>> = {
  x64: 'x86_64',
  arm64: 'aarch64',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loongarch64',
  ia32: 'i686',
};

export function archFromNode(nodeArch: string): string | undefined {
  // ppc64 in Node means the little-endian port on Linux; big-endian ppc64 Linux has no Node build
  return NODE_ARCH[nodeArch];
}

/**
 * Suffixes distributions put in the kernel release: Debian flavours ("6.1.0-27-amd64", "-arm64", "-armmp",
 * "-686-pae", "-ppc64el", "-s390x", "-riscv64", "-loong64"), RPM ones (".x86_64", ".aarch64", ".ppc64le", ".s390x").
 * "-generic" (Ubuntu) or plain upstream releases say nothing, and give undefined.
 */
const RELEASE_SUFFIX: ReadonlyArray<readonly [string, string]> = [
  ['x86_64', 'x86_64'],
  ['amd64', 'x86_64'],
  ['aarch64', 'aarch64'],
  ['arm64', 'aarch64'],
  ['arm64-16k', 'aarch64'],
  ['ppc64le', 'ppc64le'],
  ['ppc64el', 'ppc64le'],
  ['s390x', 's390x'],
  ['riscv64', 'riscv64'],
  ['loong64', 'loongarch64'],
  ['loongarch64', 'loongarch64'],
  ['686', 'i686'],
  ['686-pae', 'i686'],
  ['i686', 'i686'],
  ['armmp', 'armv7l'],
  ['armmp-lpae', 'armv7l'],
];

export function archFromRelease(release: string): string | undefined {
  for (const [suffix, arch] of RELEASE_SUFFIX) {
    if (release.endsWith('-' + suffix) || release.endsWith('.' + suffix) || release.endsWith('+' + suffix)) return arch;
  }
  return undefined;
}

/**
 * e_machine of an ELF header (userland of the target, which on a 64-bit kernel can in rare cases be 32-bit).
 * Values from the ELF gABI machine table: EM_386 3, EM_ARM 40, EM_PPC64 21, EM_S390 22, EM_X86_64 62,
 * EM_AARCH64 183, EM_RISCV 243, EM_LOONGARCH 258.
 */
export function archFromElf(head: Uint8Array): string | undefined {
  if (head.length < 20 || head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) return undefined;
  const is64 = head[4] === 2;
  const little = head[5] === 1;
  const lo = head[18] as number;
  const hi = head[19] as number;
  const machine = little ? lo | (hi << 8) : (lo << 8) | hi;
  switch (machine) {
    case 62:
      return is64 ? 'x86_64' : undefined;
    case 183:
      return 'aarch64';
    case 3:
      return 'i686';
    case 40:
      // 32-bit ARM userland: uname -m would say armv6l/armv7l/armv8l, which the header cannot tell apart
      return 'arm';
    case 21:
      return little ? 'ppc64le' : 'ppc64';
    case 22:
      return is64 ? 's390x' : 's390';
    case 243:
      return is64 ? 'riscv64' : 'riscv32';
    case 258:
      return is64 ? 'loongarch64' : undefined;
    default:
      return undefined;
  }
}

/** uname -m → OCI architecture name. */
const OCI_OF_UNAME: Readonly<Record<string, string>> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  i386: '386',
  i486: '386',
  i586: '386',
  i686: '386',
  armv7l: 'arm',
  armv6l: 'arm',
  armv8l: 'arm',
  ppc64le: 'ppc64le',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64: 'mips64',
  loongarch64: 'loong64',
};

/** OCI architecture → QEMU target name, where they differ. */
const QEMU_OF_OCI: Readonly<Record<string, string>> = { amd64: 'x86_64', arm64: 'aarch64', '386': 'i386', mips64le: 'mips64el', mipsle: 'mipsel', loong64: 'loongarch64' };

/** OCI architecture name from uname -m. */
export function ociArchOfUname(m: string): string {
  return OCI_OF_UNAME[m] ?? (/^armv\d+[a-z]*l$/.test(m) ? 'arm' : m);
}

/** QEMU target name for an OCI architecture (the name binfmt handlers are registered under, qemu-<name>). */
export function qemuNameOfArch(arch: string): string {
  return QEMU_OF_OCI[arch] ?? arch;
}

/**
 * An architecture as binfmt-handler requirements and `when: { arch }` spell it: QEMU's target name, which is uname's
 * for x86_64 and aarch64, while a little-endian 32-bit ARM uname (armv5tel… armv8l) is QEMU's "arm" and i686 is "i386".
 */
export function qemuNameOfUname(m: string): string {
  return qemuNameOfArch(ociArchOfUname(m));
}
