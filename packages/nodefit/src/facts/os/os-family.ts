// Maps os-release ID / ID_LIKE to the family whose remediation text applies (Bottlerocket settings, dnf, apt, ...).
import type { OsFamily } from './schema.ts';

/**
 * Exact IDs first: some IDs claim a parent in ID_LIKE that has different tooling (amzn says "centos rhel fedora",
 * Flatcar says "coreos"), so ID wins over ID_LIKE. IDs from each distribution's /etc/os-release:
 * bottlerocket, talos, flatcar, cos (Container-Optimized OS), amzn, sles / sled / sle-micro / opensuse-*,
 * rhel / rocky / almalinux / centos / ol / fedora / rhcos, ubuntu, debian, alpine, arch.
 */
const BY_ID: Readonly<Record<string, OsFamily>> = {
  bottlerocket: 'bottlerocket',
  talos: 'talos',
  flatcar: 'flatcar',
  cos: 'cos',
  amzn: 'amazonlinux',
  rhel: 'rhel',
  rocky: 'rhel',
  almalinux: 'rhel',
  centos: 'rhel',
  ol: 'rhel',
  fedora: 'rhel',
  rhcos: 'rhel',
  ubuntu: 'ubuntu',
  debian: 'debian',
  sles: 'suse',
  sled: 'suse',
  'sle-micro': 'suse',
  suse: 'suse',
  opensuse: 'suse',
  'opensuse-leap': 'suse',
  'opensuse-tumbleweed': 'suse',
  'opensuse-microos': 'suse',
  alpine: 'alpine',
  arch: 'arch',
};

export function osFamilyOf(id: string, idLike: readonly string[]): OsFamily {
  const direct = BY_ID[id.toLowerCase()];
  if (direct !== undefined) return direct;
  // ID_LIKE is ordered closest-first (os-release(5)); "ubuntu debian" for Mint must give ubuntu
  for (const like of idLike) {
    const f = BY_ID[like.toLowerCase()];
    if (f !== undefined) return f;
  }
  return 'other';
}
