// The ELF magic and mask QEMU registers per architecture, so `nodefit fix --format binfmt` can write working handlers.
// Values as Debian's qemu-user-static registers them (a test compares them with its binfmt.d files). They are QEMU's
// scripts/qemu-binfmt-conf.sh values, except the EI_OSABI mask byte of ppc64le and s390x: Debian's \xfc admits OSABI
// 0-3 (System V to Linux), QEMU's \x00 any; both take ordinary Linux binaries.

/** Architecture (uname -m style) → [magic, mask] as \xNN escapes, exactly as binfmt_misc's register file takes them. */
export const QEMU_BINFMT: Readonly<Record<string, readonly [string, string]>> = {
  x86_64: [
    '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x3e\\x00',
    '\\xff\\xff\\xff\\xff\\xff\\xfe\\xfe\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  ],
  aarch64: [
    '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00',
    '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  ],
  arm: [
    '\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x28\\x00',
    '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  ],
  ppc64le: [
    '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x15\\x00',
    '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfc\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\x00',
  ],
  s390x: [
    '\\x7f\\x45\\x4c\\x46\\x02\\x02\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\x16',
    '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfc\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff',
  ],
  riscv64: [
    '\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xf3\\x00',
    '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff',
  ],
};

/**
 * A register string for a static QEMU with flag F: the kernel opens the interpreter at registration, so it works in
 * every container's mount namespace (the multi-arch build case); a static binary needs no loader from the caller's root.
 */
export function qemuRegisterString(arch: string, interpreter = `/usr/bin/qemu-${arch}-static`): string | undefined {
  const entry = QEMU_BINFMT[arch];
  if (entry === undefined) return undefined;
  return `:qemu-${arch}:M::${entry[0]}:${entry[1]}:${interpreter}:F`;
}
