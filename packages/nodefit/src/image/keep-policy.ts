// Which file contents the image reader keeps in memory: the few binaries and configs the image facts need, whole;
// the first bytes of executables (ELF header, #! line); nothing else. Everything else is metadata only.

/** Whole content kept for these basenames (modprobe implementations, iptables front ends, nft, os-release). */
const KEEP_NAMES = new Set([
  'modprobe',
  'insmod',
  'kmod',
  'busybox',
  'busybox.static',
  'iptables',
  'ip6tables',
  'iptables-legacy',
  'iptables-nft',
  'xtables-legacy-multi',
  'xtables-nft-multi',
  'iptables-wrapper',
  'iptables-wrapper-installer.sh',
  'nft',
]);

/** Ceiling for one kept file: real kmod/busybox/xtables binaries are well below 4 MiB. */
export const MAX_KEPT_FILE = 16 * 1024 * 1024;
/** Bytes kept from executables: ELF header, program headers and PT_INTERP sit in the first page. */
export const HEAD_BYTES = 4096;

/** Directories where executables the workload may run (or register with binfmt_misc) live. */
const EXEC_DIRS = new Set(['/', '/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/libexec']);

export type KeepDecision = 'whole' | 'head' | 'none';

export function keepDecision(path: string, size: number, mode: number): KeepDecision {
  const slash = path.lastIndexOf('/');
  const dir = slash <= 0 ? '/' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (base === 'os-release' && (dir === '/etc' || dir === '/usr/lib') && size <= MAX_KEPT_FILE) return 'whole';
  if (KEEP_NAMES.has(base) && EXEC_DIRS.has(dir) && size <= MAX_KEPT_FILE) return 'whole';
  if (/^qemu-[a-z0-9_]+(-static)?$/.test(base)) return 'head';
  if (EXEC_DIRS.has(dir) && (mode & 0o111) !== 0) return 'head';
  return 'none';
}
