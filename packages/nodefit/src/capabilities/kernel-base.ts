// The upstream version a (possibly vendor) kernel is built from, when it can be established precisely: needed to
// tell whether a stable backport is in. Vendor kernels that freeze x.y.0 and backport on their own (RHEL, Ubuntu ABI
// releases, Oracle UEK, SUSE) hide it; Debian's ABI names hide it too but /proc/version and the config header of
// Debian builds carry the upstream version ("Debian 6.1.115-1", "Linux/x86 6.1.159 Kernel Configuration").
import type { HostFacts } from '../facts/snapshot.ts';
import { parseKernelVersion, seriesOf } from '../util/kernel-version.ts';
import type { Evidence } from './capability.ts';
import { kernelRelease } from './facts-view.ts';

export type KernelBase =
  | { readonly known: true; readonly base: string; readonly how: string; readonly evidence: readonly Evidence[] }
  | { readonly known: false; readonly reason: string; readonly evidence: readonly Evidence[] };

/** Vendor release patterns whose x.y.z is not the upstream stable version they carry. */
const FROZEN: readonly { re: RegExp; vendor: string }[] = [
  { re: /\.el\d+uek/, vendor: 'Oracle UEK' },
  { re: /\.el\d+/, vendor: 'RHEL-family' },
  { re: /^\d+\.\d+\.0-\d+(\.\d+)*-(generic|lowlatency|aws|azure|gcp|gke|kvm|oracle|ibm|raspi|virtual|nvidia|realtime|lowlatency-hwe|generic-hwe)/, vendor: 'Ubuntu' },
  { re: /^\d+\.\d+\.\d+-\d+(\.\d+)*-(default|azure|rt|kvmsmall|64kb)$/, vendor: 'SUSE' },
];

const DEBIAN_ABI = /^\d+\.\d+\.0-\d+-(amd64|arm64|cloud-amd64|cloud-arm64|rt-amd64|rt-arm64|686|686-pae|armmp|armmp-lpae|marvell|powerpc64le|s390x|riscv64|mips64r2el|octeon|loong64)$/;

export function upstreamBase(facts: HostFacts): KernelBase {
  const rel = kernelRelease(facts);
  if (rel === undefined) return { known: false, reason: 'the kernel release is unknown', evidence: [] };
  const evidence: Evidence[] = [rel.evidence];
  const release = rel.release;
  const parsed = parseKernelVersion(release);
  if (parsed === undefined) return { known: false, reason: `cannot parse kernel release "${release}"`, evidence };
  const series = seriesOf(release)!;

  if (DEBIAN_ABI.test(release)) {
    const v = facts.kernel.version;
    if (v.state === 'known') {
      const m = /Debian (\d+\.\d+\.\d+)/.exec(v.value);
      if (m !== null && seriesOf(m[1]!) === series) {
        evidence.push({ fact: 'kernel.version', value: v.value, source: v.source });
        return { known: true, base: m[1]!, how: `Debian ABI release ${release} is upstream ${m[1]} (kernel version string)`, evidence };
      }
    }
    const c = facts.kernel.config;
    if (c.state === 'known' && c.value.headerVersion !== undefined) {
      const h = parseKernelVersion(c.value.headerVersion);
      if (h !== undefined && seriesOf(c.value.headerVersion) === series && h.patch > 0) {
        evidence.push({ fact: 'kernel.config.header', value: c.value.headerVersion, source: c.source });
        return { known: true, base: `${h.major}.${h.minor}.${h.patch}`, how: `Debian ABI release ${release} is upstream ${h.major}.${h.minor}.${h.patch} (config header)`, evidence };
      }
    }
    return {
      known: false,
      reason: `Debian ABI release ${release} hides the upstream version, and neither /proc/version ("Debian x.y.z-n") nor the config header gives it`,
      evidence,
    };
  }
  for (const f of FROZEN) {
    if (f.re.test(release)) {
      return {
        known: false,
        reason: `${f.vendor} kernel ${release}: the vendor keeps ${parsed.major}.${parsed.minor}.${parsed.patch} and backports on its own schedule, so upstream stable versions do not apply`,
        evidence,
      };
    }
  }
  if (parsed.patch === 0 && /^-\d/.test(parsed.suffix)) {
    return {
      known: false,
      reason: `kernel ${release} looks like a distribution ABI release (x.y.0-N): its upstream stable version is not visible`,
      evidence,
    };
  }
  const base = `${parsed.major}.${parsed.minor}.${parsed.patch}`;
  return { known: true, base, how: `kernel ${release} is based on upstream ${base}`, evidence };
}
