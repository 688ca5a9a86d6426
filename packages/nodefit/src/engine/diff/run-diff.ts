// The library form of `nodefit diff`: load both targets (concurrently: a kernel package's decompression runs in a
// child process or WASM, so two packages overlap), evaluate the same workloads on each, and compare.
import type { Snapshot } from '../../facts/snapshot.ts';
import { loadTarget } from '../../targets/load-target.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import { evaluate, knownWorkloads, selectWorkloads, type EvaluateOptions } from '../evaluate.ts';
import { refuseGuestProfilesOnHosts } from '../guest-kernel-target.ts';
import { sysctlKeysOf } from '../../kb/profile-sysctls.ts';
import { loadUserProfiles } from '../../kb/user-profiles.ts';
import type { FailOn, Report } from '../report.ts';
import { diffReports } from './compute-diff.ts';
import type { DiffReport } from './diff-report.ts';
import { sideSpec } from './diff-target.ts';
import { lookupFact, movedKernelFacts } from './moved-kernel-facts.ts';

export interface DiffOptions extends EvaluateOptions {
  readonly failOn?: FailOn;
}

/** Diff of two already-loaded snapshots. */
export function diffSnapshots(before: Snapshot, after: Snapshot, options: DiffOptions = {}): { diff: DiffReport; before: Report; after: Report } {
  const { failOn, ...evalOptions } = options;
  const b = evaluate(before, evalOptions);
  const a = evaluate(after, evalOptions);
  const d = diffReports(b, a, failOn ?? 'error', { before: lookupFact(before), after: lookupFact(after) });
  const capFacts = new Set(d.facts.map((f) => f.fact));
  const extra = movedKernelFacts(before, after).filter((f) => !capFacts.has(f.fact));
  return { diff: { ...d, facts: [...d.facts, ...extra] }, before: b, after: a };
}

/** Loads both sides (each a path: snapshot, root dir, kernel package or kernel config) and diffs them. */
export async function diffTargets(before: string | TargetSpec, after: string | TargetSpec, options: DiffOptions = {}): Promise<DiffReport> {
  const spec = (s: string | TargetSpec): TargetSpec => (typeof s === 'string' ? sideSpec(s) : s);
  // --kb profiles are loaded here, once for both sides, and their sysctl keys are read from a live host or --root
  const profiles = options.profiles ?? (await loadUserProfiles(options.kbDirs ?? []));
  const selected = selectWorkloads(knownWorkloads(profiles), options.workloads);
  const sides = [spec(before), spec(after)] as const;
  for (const side of sides) refuseGuestProfilesOnHosts(selected, side);
  const sysctls = sysctlKeysOf(selected);
  const [b, a] = await Promise.all([loadTarget(sides[0], { sysctls }), loadTarget(sides[1], { sysctls })]);
  return diffSnapshots(b, a, { ...options, profiles }).diff;
}
