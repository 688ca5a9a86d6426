// The library form of `nodefit diff`: load both targets (concurrently: a kernel package's decompression runs in a
// child process or WASM, so two packages overlap), evaluate the same workloads on each, and compare.
import type { Snapshot } from '../../facts/snapshot.ts';
import { loadTarget } from '../../targets/load-target.ts';
import type { TargetSpec } from '../../targets/target-spec.ts';
import { evaluate, knownWorkloads, selectWorkloads, type EvaluateOptions } from '../evaluate.ts';
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
  const sysctls = sysctlKeysOf(selectWorkloads(knownWorkloads(profiles), options.workloads));
  const [b, a] = await Promise.all([loadTarget(spec(before), { sysctls }), loadTarget(spec(after), { sysctls })]);
  return diffSnapshots(b, a, { ...options, profiles }).diff;
}
