// Types of a workload profile: what a workload needs from the host, one requirement per line of upstream evidence.
// Kept free of zod so the live `nodefit check` path never loads it; profile-schema.ts validates against these types.
import type { OsFamily } from '../facts/os/schema.ts';

export type RequirementLevel = 'required' | 'optional';

/** A kernel option name (without CONFIG_), optionally valid only in a kernel version range such as ">=6.9" or "<5.2". */
export type OptionRef = string | { readonly option: string; readonly kernel: string };

/** When a requirement applies; absent fields mean "always". An unknown target state counts as applicable. */
export interface Condition {
  /** Kernel version range: space-separated comparators, e.g. ">=4.15", ">=5.2 <6.9". */
  readonly kernel?: string;
  /** Only on hosts whose cgroup hierarchy is v1 (or hybrid) / v2. */
  readonly cgroup?: 'v1' | 'v2';
  /**
   * 'available': only where the kernel has legacy xtables (capabilities.iptablesLegacy is not 'unavailable'), for the
   * legacy table modules of a workload whose iptables follows the host's backend (iptables-wrapper, the host's own
   * binary): on a kernel built without legacy xtables they cannot exist, and iptables-nft needs none of them.
   * 'unavailable': only where the kernel is known to have none, for what iptables-nft needs there instead.
   */
  readonly iptablesLegacy?: 'available' | 'unavailable';
  /**
   * Only on hosts of this CPU architecture, e.g. for x86's kvm_intel/kvm_amd. Spelled as QEMU names it (x86_64,
   * aarch64, ppc64le, s390x, riscv64, arm for every 32-bit ARM uname, i386), as binfmt-handler's arch is.
   */
  readonly arch?: string;
}

interface RequirementBase {
  /** Unique within the profile. */
  readonly id: string;
  readonly level: RequirementLevel;
  /** Upstream documentation or code the requirement comes from. */
  readonly source: string;
  /** What breaks without it, in the workload's words. */
  readonly description?: string;
  readonly when?: Condition;
}

export interface KernelOptionRequirement extends RequirementBase {
  readonly kind: 'kernel-option';
  /** Alternatives, e.g. renames across versions: satisfied when any applicable one has an accepted value. */
  readonly anyOf: readonly OptionRef[];
  /** Accepted values; default y and m. */
  readonly values?: readonly string[];
  /**
   * Options a later kernel folded this one into. When every anyOf option is absent from a full kconfig file (not "is
   * not set": gone from the Kconfig) and all of these are y or m, the kernel carries a backport of the removal, so the
   * requirement is met: RHEL 9.7's 5.14 has no MEMCG_SWAP, because swap accounting is part of MEMCG and SWAP there as
   * in 6.1. List every option the removed one depended on: absence proves removal only when its dependencies are met.
   */
  readonly foldedInto?: readonly string[];
}

export interface ModuleRequirement extends RequirementBase {
  readonly kind: 'module';
  /** Module names (kmod spelling, underscores); any one of them satisfies the requirement. */
  readonly anyOf: readonly string[];
  /** Kernel options that build the module (y: built in, m: a module), for targets without a module tree. */
  readonly config?: readonly OptionRef[];
  /** "container": the workload runs modprobe from its own image (module-compression-support looks at these). */
  readonly loadedBy?: 'container' | 'host';
}

export interface CgroupControllerRequirement extends RequirementBase {
  readonly kind: 'cgroup-controller';
  readonly controller: string;
  /** v1: the controller must be mountable as a v1 hierarchy; v2: available in cgroup2; any: either. */
  readonly hierarchy: 'v1' | 'v2' | 'any';
}

export interface BinfmtHandlerRequirement extends RequirementBase {
  readonly kind: 'binfmt-handler';
  /** Foreign architecture as QEMU names it (aarch64, x86_64, arm, ppc64le, s390x, riscv64): qemu-<arch> handlers. */
  readonly arch: string;
}

export interface NftChainRequirement extends RequirementBase {
  readonly kind: 'nft-chain';
  readonly family: 'ip' | 'ip6' | 'inet' | 'arp' | 'bridge' | 'netdev';
  readonly type: 'filter' | 'nat' | 'route';
  readonly hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';
}

export interface IptablesRequirement extends RequirementBase {
  readonly kind: 'iptables-backend';
  /** legacy / nft: hard-wired in the workload's image; wrapper: iptables-wrapper picks the host's backend. */
  readonly backend: 'legacy' | 'nft' | 'wrapper';
  /**
   * For a wrapper: what its detection picks when the host shows nothing to follow (no KUBE-IPTABLES-HINT chain and no
   * rules in either backend). "legacy" for rule-counting detectors that break a tie towards legacy (iptables-wrapper
   * scripts before its v2 tag, Calico Felix's Auto); unset when it picks nft (the v2 tag and the Go wrapper).
   */
  readonly undecidedPicks?: 'legacy' | 'nft';
}

export interface SysctlRequirement extends RequirementBase {
  readonly kind: 'sysctl';
  readonly key: string;
  readonly value: string;
}

/** Swap must be off (kubelet's failSwapOn, the default): /proc/swaps lists no active area. */
export interface SwapRequirement extends RequirementBase {
  readonly kind: 'swap';
  /** Only false is a need anyone states today: the workload refuses to run with swap on. */
  readonly active: false;
}

export interface KernelVersionRequirement extends RequirementBase {
  readonly kind: 'kernel-version';
  /** e.g. ">=5.13" */
  readonly range: string;
}

export type Requirement =
  | KernelVersionRequirement
  | KernelOptionRequirement
  | ModuleRequirement
  | CgroupControllerRequirement
  | BinfmtHandlerRequirement
  | NftChainRequirement
  | IptablesRequirement
  | SysctlRequirement
  | SwapRequirement;

export type RequirementKind = Requirement['kind'];

export interface ProfileRemediation {
  readonly os: OsFamily | 'any';
  readonly text: string;
}

export interface WorkloadProfile {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly references: readonly string[];
  readonly remediation?: readonly ProfileRemediation[];
  /**
   * How the workload registers binfmt_misc handlers: from a container that exits right after ("oneshot-container",
   * e.g. `multiarch/qemu-user-static --reset -p yes`), from a long-running container, or on the host (binfmt.d).
   */
  readonly binfmtRegistration?: 'oneshot-container' | 'long-running-container' | 'host';
  /**
   * What kernel the requirements are of: the host's (the default), or a VM guest's ("guest-kernel", Kata's guest
   * kernel), which is checked from its config file (`--kernel-config`) and only when the workload is asked for by id,
   * since against a host kernel it would report what no host needs.
   */
  readonly appliesTo?: 'host' | 'guest-kernel';
  readonly requirements: readonly Requirement[];
  /** Where the profile came from: "builtin" or the user's file (set by the loader, not written in YAML). */
  readonly origin?: string;
}
