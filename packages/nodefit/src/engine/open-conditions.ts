// Failures of requirements whose `when` the target leaves open become unknown, unless the workload fails either way.
import type { CheckContext, CheckResult } from '../kb/check.ts';
import type { Condition, Requirement } from '../kb/profile-types.ts';
import { openConditions } from '../kb/requirement-eval.ts';

/** "the other cgroup hierarchy": where the covering sibling applies, in words. */
const OTHER_SIDE: Partial<Record<keyof Condition, string>> = { cgroup: 'the other cgroup hierarchy', iptablesLegacy: 'the other iptables backend' };

/** What a requirement's own `when` says for a field, as the string a sibling's otherSide is compared with. */
function sideOf(req: Requirement, field: keyof Condition): string | undefined {
  const v = req.when?.[field];
  return v === undefined ? undefined : String(v);
}

/**
 * A kernel config alone has no cgroup hierarchy, a headerless one no version: a requirement that may not apply there
 * is still judged, and its failure reported as unknown ("fails if it applies: …"), so `--fail-on` and `nodefit fix`
 * treat it as undecided. Profiles state one need on both sides of a condition (device control: CGROUP_DEVICE on v1,
 * CGROUP_BPF on v2; iptables: legacy tables or nft_compat): when a sibling on the other side of every open part fails
 * too, the workload fails whichever side the host is on, and the failure stands.
 */
export function settleOpenConditions(ctx: CheckContext, results: readonly CheckResult[]): CheckResult[] {
  // only a required sibling fails the workload on its side; an optional one there is a warning
  const failing = results.filter((r) => r.outcome === 'fail' && r.requirement?.level === 'required');
  return results.map((r) => {
    const req = r.requirement;
    if (r.outcome !== 'fail' || req === undefined) return r;
    const open = openConditions(ctx, req);
    if (open.length === 0) return r;
    // only a required finding is covered: "the workload fails either way" decides a failure, while an optional need
    // under an open condition stays undecided whatever else fails
    const covered = open.map((o) =>
      o.otherSide === null || req.level !== 'required'
        ? undefined
        : failing.find((s) => s.workload === r.workload && s !== r && s.requirement !== undefined && sideOf(s.requirement, o.field) === o.otherSide),
    );
    if (covered.every((c) => c !== undefined)) {
      const ids = [...new Set(covered.map((c) => c.requirement!.id))].join(', ');
      return { ...r, message: `${r.message} (fails either way: ${ids} fails on ${open.map((o) => OTHER_SIDE[o.field] ?? o.field).join(' and ')})` };
    }
    return { ...r, outcome: 'unknown', message: `${r.message}: fails if it applies (${open.map((o) => o.text).join('; ')})` };
  });
}
