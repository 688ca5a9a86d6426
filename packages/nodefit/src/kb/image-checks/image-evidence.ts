// Evidence rows that name exactly what in the image a finding is about (path, symlink chain, version strings).
import type { Evidence } from '../../capabilities/capability.ts';
import type { BinaryFacts, ImageFacts, ModprobeFacts } from '../../image/image-facts.ts';

export function binaryEvidence(image: ImageFacts, fact: string, b: BinaryFacts): Evidence {
  const chain = b.chain.length > 1 ? b.chain.join(' -> ') : b.path;
  const detail = b.kind === 'elf' ? `${chain} (${b.arch ?? '?'} ELF, ${b.isStatic === true ? 'static' : 'dynamic'})` : `${chain} (${b.kind})`;
  return { fact, value: detail, source: image.reference };
}

export function modprobeEvidence(image: ImageFacts, m: ModprobeFacts, fact = 'image.modprobe'): Evidence[] {
  const out: Evidence[] = [binaryEvidence(image, `${fact}.path`, m.binary)];
  const impl = m.version !== null ? `${m.implementation} ${m.version}` : m.implementation;
  out.push({ fact: `${fact}.implementation`, value: impl, source: `${image.reference}:${m.binary.realPath}` });
  if (m.featureLine !== null) out.push({ fact: `${fact}.features`, value: m.featureLine, source: `${image.reference}:${m.binary.realPath}` });
  for (const n of m.notes) out.push({ fact: `${fact}.note`, value: n, source: image.reference });
  return out;
}

/** "kmod 30 (+ZSTD +XZ -ZLIB …)" / "BusyBox 1.35.0": how a person recognises the tool. */
export function describeModprobe(m: ModprobeFacts): string {
  const name = m.implementation === 'kmod' ? 'kmod' : m.implementation === 'busybox' ? 'BusyBox' : 'an unrecognised modprobe';
  const v = m.version !== null ? ` ${m.version}` : '';
  const f = m.featureLine !== null ? ` (${m.featureLine})` : '';
  return `${name}${v}${f}`;
}

/** OCI architecture name from uname -m. */
export function ociArchOfUname(m: string): string {
  const map: Record<string, string> = {
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
  return map[m] ?? m;
}

/** QEMU target name for an OCI architecture (the name binfmt handlers are registered under, qemu-<name>). */
export function qemuNameOfArch(arch: string): string {
  const map: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', '386': 'i386', arm: 'arm', mips64le: 'mips64el', mipsle: 'mipsel', loong64: 'loongarch64' };
  return map[arch] ?? arch;
}
