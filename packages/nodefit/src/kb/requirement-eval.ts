// Shared evaluation of workload requirements against facts and capabilities: conditions, kernel options, modules.
import type { Evidence } from '../capabilities/capability.ts';
import type { CheckContext, CheckResult } from './check.ts';
import type { Condition, ModuleRequirement, OptionRef, Requirement, WorkloadProfile } from './profile-types.ts';
import { kernelConfigArch } from '../facts/kernel/config-arch.ts';
import { qemuNameOfUname } from '../facts/os/arch.ts';
import { inRange } from './version-range.ts';

export function optionName(ref: OptionRef): string {
  return typeof ref === 'string' ? ref : ref.option;
}

/** Options of an anyOf list that exist for this kernel version (all of them when the version is unknown). */
export function applicableOptions(ctx: CheckContext, refs: readonly OptionRef[]): string[] {
  return refs.filter((r) => typeof r === 'string' || inRange(ctx.kernelVersion, r.kernel) !== false).map(optionName);
}

export function configOptions(ctx: CheckContext): { options: ReadonlyMap<string, string>; source: string } | null {
  const c = ctx.facts.kernel.config;
  return c.state === 'known' ? { options: c.value.options, source: c.source } : null;
}

/**
 * Whether an option absent from the config means "not set". A config written by kconfig (it has the
 * "Linux/<arch> <version> Kernel Configuration" header) lists every visible option; a header-less file (a distribution's
 * config fragment or dist-git input) omits options that are set by default or selected, so absence proves nothing.
 */
export function absentMeansUnset(ctx: CheckContext): boolean {
  const c = ctx.facts.kernel.config;
  return c.state === 'known' && c.value.headerVersion !== undefined;
}

/** Why an unmet requirement is undecided rather than failed, or null when a failure is certain. */
export function undecidedReason(ctx: CheckContext, req: Requirement, absentOptions: readonly string[]): string | null {
  if (req.when?.kernel !== undefined && ctx.kernelVersion === null) return `applies only to kernels ${req.when.kernel} and the kernel version is unknown`;
  if (absentOptions.length > 0 && !absentMeansUnset(ctx))
    return `${absentOptions.map((o) => `CONFIG_${o}`).join(', ')} absent from a config without a kconfig header (options set by default are not listed there)`;
  return null;
}

export function configEvidence(ctx: CheckContext, option: string): Evidence {
  const c = configOptions(ctx);
  return { fact: `kernel.config.${option}`, value: c?.options.get(option) ?? '(absent)', source: c?.source ?? 'no kernel config' };
}

/**
 * A kernel whose memory controller exists on cgroup v2 only (MEMCG_V1 unset, from 6.11) runs no container runtime on
 * cgroup v1: its host is v2, though the target does not say so (openSUSE Leap 16, Tumbleweed).
 */
function memoryOnV2Only(ctx: CheckContext): boolean {
  const v1 = ctx.capabilities.cgroupV1Controllers.value;
  const v2 = ctx.capabilities.cgroupV2Controllers.value;
  return Array.isArray(v1) && Array.isArray(v2) && !v1.includes('memory') && v2.includes('memory');
}

/**
 * The target's CPU architecture in QEMU's spelling (profiles name architectures so): the host's uname, else what its
 * kernel config was built for; null when neither says.
 */
export function targetArch(ctx: CheckContext): string | null {
  if (ctx.facts.os.arch.state === 'known') return qemuNameOfUname(ctx.facts.os.arch.value);
  const cfg = configOptions(ctx);
  return cfg === null ? null : kernelConfigArch(cfg);
}

/** One part of a requirement's `when` that the target leaves open, and the value on its other side, if it has one. */
export interface OpenCondition {
  readonly field: keyof Condition;
  /** The value a sibling requirement must carry to cover the other side (cgroup v2 for v1, …); null for ranges. */
  readonly otherSide: string | null;
  readonly text: string;
}

/** What the target says about one part of a `when`: it holds, it rules the requirement out (and why), or it is open. */
type ConditionPart = { readonly verdict: 'holds' } | { readonly verdict: 'ruled-out'; readonly why: string } | ({ readonly verdict: 'open' } & OpenCondition);

const HOLDS: ConditionPart = { verdict: 'holds' };

/** Every part of a condition judged once, in the order the reasons are reported (kernel, cgroup, arch, iptables). */
function judgeCondition(ctx: CheckContext, w: Condition): ConditionPart[] {
  const parts: ConditionPart[] = [];
  if (w.kernel !== undefined) {
    const inside = inRange(ctx.kernelVersion, w.kernel);
    parts.push(
      inside === false ? { verdict: 'ruled-out', why: `only for kernels ${w.kernel}` }
      : inside === null ? { verdict: 'open', field: 'kernel', otherSide: null, text: `only for kernels ${w.kernel}, and the kernel version is unknown` }
      : HOLDS,
    );
  }
  if (w.cgroup !== undefined) {
    const mode = ctx.facts.cgroups.mode;
    if (mode.state === 'known') {
      const isV1 = mode.value === 'v1' || mode.value === 'hybrid';
      const isV2 = mode.value === 'v2';
      parts.push((w.cgroup === 'v1' && !isV1) || (w.cgroup === 'v2' && !isV2) ? { verdict: 'ruled-out', why: `only on cgroup ${w.cgroup} hosts (this host: ${mode.value})` } : HOLDS);
    } else if (memoryOnV2Only(ctx)) {
      parts.push(w.cgroup === 'v1' ? { verdict: 'ruled-out', why: 'only on cgroup v1 hosts, and this kernel has its memory controller on cgroup v2 only (CONFIG_MEMCG_V1 unset), so it runs cgroup v2' } : HOLDS);
    } else {
      parts.push({ verdict: 'open', field: 'cgroup', otherSide: w.cgroup === 'v1' ? 'v2' : 'v1', text: `only on cgroup ${w.cgroup} hosts, and this target's cgroup hierarchy is unknown` });
    }
  }
  if (w.arch !== undefined) {
    const arch = targetArch(ctx);
    parts.push(
      arch === null ? { verdict: 'open', field: 'arch', otherSide: null, text: `only on ${w.arch} hosts, and this target's architecture is unknown` }
      : arch !== w.arch ? { verdict: 'ruled-out', why: `only on ${w.arch} hosts (this one: ${arch})` }
      : HOLDS,
    );
  }
  if (w.iptablesLegacy !== undefined) {
    const legacy = ctx.capabilities.iptablesLegacy;
    const wantsLegacy = w.iptablesLegacy === 'available';
    if (legacy.value === 'unknown') {
      const side = wantsLegacy ? 'where the kernel has legacy iptables' : 'where the kernel has no legacy iptables';
      parts.push({ verdict: 'open', field: 'iptablesLegacy', otherSide: wantsLegacy ? 'unavailable' : 'available', text: `only ${side}, and whether it does is unknown` });
    } else if (wantsLegacy && legacy.value === 'unavailable') {
      parts.push({ verdict: 'ruled-out', why: `only where the kernel has legacy iptables, and this one has none (${legacy.reason})` });
    } else if (!wantsLegacy && legacy.value === 'available') {
      parts.push({ verdict: 'ruled-out', why: `only where the kernel has no legacy iptables, and this one has it (${legacy.reason})` });
    } else parts.push(HOLDS);
  }
  return parts;
}

/** Why a requirement does not apply here, or null when it applies (an unknown target state counts as applying). */
export function notApplicableReason(ctx: CheckContext, req: Requirement): string | null {
  if (req.when === undefined) return null;
  for (const part of judgeCondition(ctx, req.when)) if (part.verdict === 'ruled-out') return part.why;
  return null;
}

/**
 * The parts of a requirement's condition the target leaves open ("only on cgroup v1 hosts, and this target's cgroup
 * hierarchy is unknown"); empty when every part is decided. engine/open-conditions.ts reports a failure of such a
 * requirement as unknown, unless a sibling on the other side of every open part fails too.
 */
export function openConditions(ctx: CheckContext, req: Requirement): OpenCondition[] {
  if (req.when === undefined) return [];
  return judgeCondition(ctx, req.when).flatMap((p) => (p.verdict === 'open' ? [{ field: p.field, otherSide: p.otherSide, text: p.text }] : []));
}

export function requirementLabel(req: Requirement): string {
  return req.description === undefined ? req.id : `${req.id} (${req.description})`;
}

/** The requirement type of one kind, e.g. `RequirementOfKind<'sysctl'>` is `SysctlRequirement`. */
export type RequirementOfKind<K extends Requirement['kind']> = Extract<Requirement, { kind: K }>;

/** A requirement together with the workload that states it. */
export interface RequirementPair<R extends Requirement> {
  readonly workload: WorkloadProfile;
  readonly req: R;
}

type PairsByKind = Map<Requirement['kind'], RequirementPair<Requirement>[]>;

/** One pass over the selected workloads per evaluation, instead of one per check that asks (a dozen do). */
const pairsByKind = new WeakMap<readonly WorkloadProfile[], PairsByKind>();

/** Every (workload, requirement) pair of a kind, in profile order. The list is shared: callers only read it. */
export function requirementsOfKind<K extends Requirement['kind']>(ctx: CheckContext, kind: K): readonly RequirementPair<RequirementOfKind<K>>[] {
  let index = pairsByKind.get(ctx.workloads);
  if (index === undefined) {
    index = new Map();
    for (const workload of ctx.workloads) {
      for (const req of workload.requirements) {
        const list = index.get(req.kind);
        if (list === undefined) index.set(req.kind, [{ workload, req }]);
        else list.push({ workload, req });
      }
    }
    pairsByKind.set(ctx.workloads, index);
  }
  // each list was filed under its requirements' own kind
  return (index.get(kind) ?? []) as unknown as readonly RequirementPair<RequirementOfKind<K>>[];
}

export function notApplicable(workload: WorkloadProfile, req: Requirement, why: string): CheckResult {
  return { workload: workload.id, requirement: req, outcome: 'not-applicable', message: `${req.id}: ${why}`, evidence: [] };
}

/** So every requirement check reports not-applicable pairs alike: one result per pair, in order, `judge` only where it applies. */
export function judgeRequirements<R extends Requirement>(
  ctx: CheckContext,
  pairs: readonly RequirementPair<R>[],
  judge: (pair: RequirementPair<R>) => CheckResult,
  extraNotApplicable?: (req: R) => string | null,
): CheckResult[] {
  return pairs.map((pair) => {
    const na = notApplicableReason(ctx, pair.req) ?? extraNotApplicable?.(pair.req) ?? null;
    return na === null ? judge(pair) : notApplicable(pair.workload, pair.req, na);
  });
}

const DISABLING_INSTALL = /^\s*(\/usr)?\/bin\/(true|false)\b/;

export type ModuleState = 'builtin' | 'loaded' | 'loadable' | 'disabled' | 'missing' | 'unknown';

export interface ModuleStatus {
  readonly state: ModuleState;
  /** The alternative that decided the state. */
  readonly module: string;
  readonly detail: string;
  readonly evidence: readonly Evidence[];
}

/**
 * Whether a module requirement is met: built in, loaded, or loadable (file present, not disabled with an `install m
 * /bin/true` override, module loading enabled). Blacklisting does not stop an explicit modprobe, so it only shows
 * in the detail. Without a module tree the kernel config decides (y built in, m a module).
 */
export function moduleStatus(ctx: CheckContext, req: ModuleRequirement): ModuleStatus {
  const m = ctx.facts.modules;
  const loading = ctx.capabilities.moduleLoading.value;
  const evidence: Evidence[] = [];
  for (const name of req.anyOf) {
    if (m.loaded.state === 'known' && m.loaded.value[name] !== undefined)
      return { state: 'loaded', module: name, detail: `${name} is loaded`, evidence: [{ fact: `modules.loaded.${name}`, value: 'loaded', source: m.loaded.source }] };
    const builtinIn = [m.builtin, m.builtinModinfo].find((f) => f.state === 'known' && f.value.includes(name));
    if (builtinIn !== undefined && builtinIn.state === 'known')
      return { state: 'builtin', module: name, detail: `${name} is built into the kernel`, evidence: [{ fact: `modules.builtin.${name}`, value: 'builtin', source: builtinIn.source }] };
  }
  if (m.files.state === 'known') {
    for (const name of req.anyOf) {
      const file = m.files.value[name];
      if (file === undefined) continue;
      const ev: Evidence = { fact: `modules.files.${name}`, value: file.path, source: m.files.source };
      const install = m.modprobe.state === 'known' ? m.modprobe.value.install[name] : undefined;
      if (install !== undefined && DISABLING_INSTALL.test(install))
        return { state: 'disabled', module: name, detail: `${name} is disabled by "install ${name} ${install}"`, evidence: [ev, { fact: `modules.modprobe.install.${name}`, value: install, source: m.modprobe.state === 'known' ? m.modprobe.value.files.join(', ') : '' }] };
      if (loading === 'unavailable') return { state: 'disabled', module: name, detail: `${name} exists but module loading is disabled (${ctx.capabilities.moduleLoading.reason})`, evidence: [ev] };
      const bl = m.modprobe.state === 'known' && m.modprobe.value.blacklist.includes(name) ? ' (blacklisted: no alias autoload, explicit modprobe still works)' : '';
      return { state: 'loadable', module: name, detail: `${name} can be loaded from ${file.path}${bl}`, evidence: [ev] };
    }
    evidence.push({ fact: 'modules.files', value: `no ${req.anyOf.join(' / ')}`, source: m.files.source });
  }
  const cfg = configOptions(ctx);
  const opts = req.config === undefined ? [] : applicableOptions(ctx, req.config);
  if (cfg !== null && opts.length > 0) {
    for (const o of opts) evidence.push(configEvidence(ctx, o));
    const y = opts.find((o) => cfg.options.get(o) === 'y');
    if (y !== undefined) return { state: 'builtin', module: req.anyOf[0]!, detail: `CONFIG_${y}=y: built into the kernel`, evidence };
    const mod = opts.find((o) => cfg.options.get(o) === 'm');
    if (mod !== undefined && m.files.state !== 'known') {
      if (loading === 'unavailable') return { state: 'disabled', module: req.anyOf[0]!, detail: `CONFIG_${mod}=m but module loading is disabled`, evidence };
      return { state: 'loadable', module: req.anyOf[0]!, detail: `CONFIG_${mod}=m: built as a module (module file not checked)`, evidence };
    }
    const undecided = m.files.state === 'known' ? null : undecidedReason(ctx, req, opts.filter((o) => cfg.options.get(o) === undefined));
    if (undecided !== null) return { state: 'unknown', module: req.anyOf[0]!, detail: undecided, evidence };
    return { state: 'missing', module: req.anyOf[0]!, detail: `${req.anyOf.join(' / ')}: ${opts.map((o) => `CONFIG_${o}=${cfg.options.get(o) ?? '(absent)'}`).join(', ')}`, evidence };
  }
  if (m.files.state === 'known') return { state: 'missing', module: req.anyOf[0]!, detail: `no module file for ${req.anyOf.join(' / ')} and not built in`, evidence };
  return { state: 'unknown', module: req.anyOf[0]!, detail: `neither the module tree nor the kernel config is known (${m.files.state === 'unknown' ? m.files.reason : ''})`, evidence };
}
