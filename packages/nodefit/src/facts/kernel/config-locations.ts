// Where distributions keep the kernel config of a given release, in the order nodefit looks.
import type { HostFs } from '../../host/host-fs.ts';
import { safeReaddir } from './safe-host.ts';

/**
 * /proc/config.gz is the running kernel's own (CONFIG_IKCONFIG_PROC; Talos, Bottlerocket, Flatcar, Arch, SUSE,
 * NixOS, COS and Alpine via the `configs` module build it in). Files on disk, for a release:
 * - /boot/config-<r>: Debian, Ubuntu, RHEL family, SUSE, Amazon Linux (installed by the kernel package);
 * - /lib/modules/<r>/config and /usr/lib/modules/<r>/config: Fedora/RHEL kernel-core ships it there, and
 *   rpm-ostree systems (Fedora CoreOS, RHCOS) have only that copy, since nothing populates /boot with it;
 * - /usr/lib/ostree-boot/config-<r>, /boot/ostree/<os>-<checksum>/config-<r>: older ostree layouts;
 * - /usr/boot/config-<r>: Flatcar (the coreos-kernel eclass installs kernel and config under /usr/boot) [inferred];
 * - <modules>/build/.config, /usr/src/kernels/<r>/.config, /usr/src/linux-headers-<r>/.config,
 *   /usr/src/linux-<r>/.config: kernel headers/devel packages and source trees (Gentoo);
 * - /boot/config-<flavour>: Alpine names files by flavour ("lts", "virt"), the last dash-word of the release.
 */
export function configCandidates(fs: HostFs, release: string | undefined, live: boolean): string[] {
  const out: string[] = [];
  if (live) out.push('/proc/config.gz');
  if (release === undefined) {
    // without a release only an unambiguous /boot/config-* can be trusted to describe the target's kernel
    const boot = (safeReaddir(fs, '/boot') ?? []).filter((n) => n.startsWith('config-'));
    if (boot.length === 1) out.push(`/boot/${boot[0] as string}`);
    return out;
  }
  const r = release;
  out.push(
    `/boot/config-${r}`,
    `/lib/modules/${r}/config`,
    `/usr/lib/modules/${r}/config`,
    `/usr/lib/ostree-boot/config-${r}`,
  );
  for (const d of safeReaddir(fs, '/boot/ostree') ?? []) out.push(`/boot/ostree/${d}/config-${r}`);
  out.push(
    `/usr/boot/config-${r}`,
    `/lib/modules/${r}/build/.config`,
    `/usr/lib/modules/${r}/build/.config`,
    `/usr/src/kernels/${r}/.config`,
    `/usr/src/linux-headers-${r}/.config`,
    `/usr/src/linux-${r}/.config`,
  );
  const dash = r.lastIndexOf('-');
  const flavour = dash === -1 ? '' : r.slice(dash + 1);
  if (/^[a-z]+$/.test(flavour)) out.push(`/boot/config-${flavour}`);
  return out;
}
