// Structured remediation a check can attach to a finding, from which `nodefit fix` writes OS-specific artifacts.
export type FixAction =
  /** Load a module at boot (modules-load.d; Bottlerocket settings.kernel.modules.<m>.allowed/autoload). */
  | { readonly kind: 'load-module'; readonly module: string }
  /** Add a kernel command-line argument, e.g. "systemd.unified_cgroup_hierarchy=1". */
  | { readonly kind: 'kernel-cmdline'; readonly arg: string }
  /** Register a binfmt_misc handler persistently (binfmt.d), e.g. QEMU for aarch64 with flags F. */
  | { readonly kind: 'binfmt-register'; readonly name: string; readonly register: string }
  /** Mount binfmt_misc on the host at boot, so registrations outlive the containers that made them. */
  | { readonly kind: 'binfmt-mount' }
  /** Set a sysctl, e.g. net.bridge.bridge-nf-call-iptables=1. */
  | { readonly kind: 'sysctl'; readonly key: string; readonly value: string };
