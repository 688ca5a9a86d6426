// Snapshot + workloads (+ image) → report: derives capabilities, runs every check, turns results into findings.
import type { Capabilities } from '../capabilities/capabilities.ts';
import { deriveCapabilities as deriveFromFacts } from '../capabilities/derive.ts';
import { UserError } from '../cli/user-error.ts';
import type { Snapshot } from '../facts/snapshot.ts';
import type { ImageFacts } from '../image/image-facts.ts';
import { BUILTIN_WORKLOADS } from '../kb/builtin-workloads.ts';
import type { Check, CheckContext, CheckResult } from '../kb/check.ts';
import { CHECKS } from '../kb/checks/index.ts';
import { IMAGE_CHECKS } from '../kb/image-checks/index.ts';
import type { WorkloadProfile } from '../kb/profile-types.ts';
import { parseKernelVersion } from '../kb/version-range.ts';
import { TOOL } from '../version.ts';
import { settleOpenConditions } from './open-conditions.ts';
import { REPORT_SCHEMA_VERSION, summarize, type CapabilityView, type Finding, type Remediation, type Report, type Severity } from './report.ts';
import { hostWorkloads } from '../kb/guest-kernel.ts';

export interface EvaluateOptions {
  /** Workload ids to evaluate; default every known host workload (selectWorkloads). Unknown ids are a UserError. */
  readonly workloads?: readonly string[];
  /**
   * Directories of user profiles (--kb DIR), in the built-in format. evaluate() is synchronous and the YAML loader is
   * kept off the fast path, so load them first with loadUserProfiles() (src/kb/user-profiles.ts) and pass `profiles`.
   */
  readonly kbDirs?: readonly string[];
  /** Facts about a container image, for the host × image cross-checks. */
  readonly image?: ImageFacts;
  /** Additional, already loaded profiles (from loadUserProfiles(kbDirs)); a user profile may replace a built-in id. */
  readonly profiles?: readonly WorkloadProfile[];
  /** Severity overrides per check id (configuration wins over a check's default severity). */
  readonly severities?: Readonly<Record<string, Severity>>;
  /** Extra checks (e.g. tests, plug-ins), run after the built-in ones. */
  readonly checks?: readonly Check[];
}

/** Built-in profiles overlaid with user ones (same id: the user's wins), in id order. */
export function knownWorkloads(extra: readonly WorkloadProfile[] = []): WorkloadProfile[] {
  const byId = new Map<string, WorkloadProfile>();
  for (const p of BUILTIN_WORKLOADS) byId.set(p.id, p);
  for (const p of extra) byId.set(p.id, p);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The workloads named, or by default every one that describes the host: a VM guest kernel's profile (appliesTo
 * guest-kernel) is checked only when asked for by id, as its target is the guest's config, not this host.
 */
export function selectWorkloads(all: readonly WorkloadProfile[], ids: readonly string[] | undefined): WorkloadProfile[] {
  if (ids === undefined || ids.length === 0) return hostWorkloads(all);
  const byId = new Map(all.map((p) => [p.id, p]));
  const unknownIds = [...new Set(ids)].filter((id) => !byId.has(id));
  if (unknownIds.length > 0)
    throw new UserError(`unknown workload ${unknownIds.map((i) => JSON.stringify(i)).join(', ')}; known workloads: ${all.map((p) => p.id).join(', ')}`);
  return [...new Set(ids)].map((id) => byId.get(id)!);
}

export function deriveCapabilities(snapshot: Snapshot): Capabilities {
  return deriveFromFacts(snapshot.facts);
}

function kernelVersionOf(snapshot: Snapshot): CheckContext['kernelVersion'] {
  const k = snapshot.facts.kernel;
  if (k.release.state === 'known') {
    const v = parseKernelVersion(k.release.value);
    if (v !== null) return v;
  }
  if (k.config.state === 'known' && k.config.value.headerVersion !== undefined) return parseKernelVersion(k.config.value.headerVersion);
  return null;
}

function pickRemediation(all: readonly Remediation[], family: string): Remediation[] {
  // Unknown OS: every variant is useful; known OS: the generic text plus that family's.
  if (family === 'other') return [...all];
  return all.filter((r) => r.os === 'any' || r.os === family);
}

/** Keeps the first of equal items; the lists are a handful long, so a scan beats building string keys for a Set. */
function dedupe<T>(xs: readonly T[], same: (a: T, b: T) => boolean): T[] {
  const out: T[] = [];
  for (const x of xs) if (!out.some((y) => same(x, y))) out.push(x);
  return out;
}

const sameRemediation = (a: Remediation, b: Remediation): boolean => a.os === b.os && a.text === b.text;

/**
 * What every finding of one check for one workload shares: the check's own remediation, then the profile's for a
 * requirement, picked for the OS and de-duplicated once per evaluation (a run has a few hundred findings and a few
 * dozen such pairs). Findings share these arrays; nothing changes a finding once it is made.
 */
type SharedRemediation = Map<string, Remediation[]>;

function sharedRemediation(check: Check, r: CheckResult, ctx: CheckContext, profiles: ReadonlyMap<string, WorkloadProfile>, memo: SharedRemediation): Remediation[] {
  const workload = r.requirement === undefined ? null : r.workload;
  const key = `${check.meta.id}\u0000${workload ?? ''}`;
  let out = memo.get(key);
  if (out === undefined) {
    const profile = workload === null ? undefined : profiles.get(workload);
    out = dedupe(pickRemediation([...check.meta.remediation, ...(profile?.remediation ?? [])], ctx.osFamily), sameRemediation);
    memo.set(key, out);
  }
  return out;
}

function toFinding(
  check: Check,
  r: CheckResult,
  ctx: CheckContext,
  profiles: ReadonlyMap<string, WorkloadProfile>,
  severities: Readonly<Record<string, Severity>>,
  memo: SharedRemediation,
): Finding {
  const req = r.requirement;
  const severity: Severity = severities[check.meta.id] ?? (req === undefined ? check.meta.defaultSeverity : req.level === 'required' ? 'error' : 'warning');
  // An unmet optional requirement is a warning, not a failure: the workload runs, with a feature missing.
  const outcome = r.outcome === 'fail' && req?.level === 'optional' ? 'warn' : r.outcome;
  const shared = sharedRemediation(check, r, ctx, profiles, memo);
  // the result's own remediation comes first, then the shared part (first occurrences win, as over the whole list)
  const remediation = r.remediation === undefined || r.remediation.length === 0 ? shared : dedupe([...pickRemediation(r.remediation, ctx.osFamily), ...shared], sameRemediation);
  const references = dedupe([...(req === undefined ? [] : [req.source]), ...check.meta.references], (a, b) => a === b);
  const base: Finding = { checkId: check.meta.id, workload: r.workload, outcome, severity, message: r.message, evidence: r.evidence, remediation, references };
  return {
    ...base,
    ...(r.actions !== undefined && r.actions.length > 0 ? { actions: r.actions } : {}),
    ...(req === undefined ? {} : { requirement: req.id }),
  };
}

function capabilityViews(caps: Capabilities): Record<string, CapabilityView> {
  const out: Record<string, CapabilityView> = {};
  for (const [name, c] of Object.entries(caps) as [string, Capabilities[keyof Capabilities]][]) out[name] = { value: c.value, reason: c.reason, evidence: c.evidence };
  return out;
}

export function evaluate(snapshot: Snapshot, options: EvaluateOptions = {}): Report {
  if ((options.kbDirs?.length ?? 0) > 0 && options.profiles === undefined)
    throw new UserError('evaluate: --kb directories must be loaded first (loadUserProfiles) and passed as options.profiles');
  const all = knownWorkloads(options.profiles);
  const workloads = selectWorkloads(all, options.workloads);
  const capabilities = deriveCapabilities(snapshot);
  const os = snapshot.facts.os.release;
  const ctx: CheckContext = {
    facts: snapshot.facts,
    capabilities,
    kernelVersion: kernelVersionOf(snapshot),
    workloads,
    osFamily: os.state === 'known' ? os.value.family : 'other',
    ...(options.image === undefined ? {} : { image: options.image }),
  };
  const checks: Check[] = [...CHECKS, ...(options.image === undefined ? [] : IMAGE_CHECKS), ...(options.checks ?? [])];
  const profiles = new Map(workloads.map((w) => [w.id, w]));
  const rows: { f: Finding; i: number }[] = [];
  const memo: SharedRemediation = new Map();
  const produced: { check: Check; r: CheckResult }[] = [];
  for (const check of checks) for (const r of check.evaluate(ctx)) produced.push({ check, r });
  // settled over every check's results at once: the sibling that covers the other side may be another check's
  const settled = settleOpenConditions(ctx, produced.map((p) => p.r));
  produced.forEach(({ check }, i) => rows.push({ f: toFinding(check, settled[i]!, ctx, profiles, options.severities ?? {}, memo), i }));
  const order = new Map(checks.map((c, i) => [c.meta.id, i]));
  // Stable order: host-wide findings first, then by workload id, by check (incident checks first), then as produced.
  rows.sort((a, b) => {
    const wa = a.f.workload ?? '';
    const wb = b.f.workload ?? '';
    if (wa !== wb) return wa < wb ? -1 : 1;
    const ca = order.get(a.f.checkId)! - order.get(b.f.checkId)!;
    return ca !== 0 ? ca : a.i - b.i;
  });
  const findings = rows.map((r) => r.f);
  const release = snapshot.facts.kernel.release;
  const cfg = snapshot.facts.kernel.config;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'nodefit', version: TOOL.version },
    target: {
      kind: snapshot.target.kind,
      description: snapshot.target.description,
      kernelRelease: release.state === 'known' ? release.value : cfg.state === 'known' ? (cfg.value.headerVersion ?? null) : null,
      os: { id: os.state === 'known' ? os.value.id : null, versionId: os.state === 'known' ? (os.value.versionId ?? null) : null },
      capabilities: capabilityViews(capabilities),
    },
    summary: summarize(findings),
    findings,
  };
}
