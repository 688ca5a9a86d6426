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
