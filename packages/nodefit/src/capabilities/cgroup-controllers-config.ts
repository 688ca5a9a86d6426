// Which cgroup controllers a kernel config builds, in v1 and v2 naming, and the v1 gates added in 6.11/6.12.
// Sources (incidents.md Case 4): e93d4166b40a "mm: memcg: put cgroup v1-specific code under a config option"
// (MEMCG_V1, v6.11, default n); 1abab1ba0775 "cgroup/cpuset: guard cpuset-v1 code under CONFIG_CPUSETS_V1" (v6.12,
// default n); 3c41382e920f "cgroup: Disallow mounting v1 hierarchies without controller implementation".
import type { HostFacts } from '../facts/snapshot.ts';
import { atLeast } from '../util/kernel-version.ts';
import type { Evidence } from './capability.ts';
import { configOption, enabled, kernelRelease } from './facts-view.ts';

interface ControllerOption {
  readonly option: string;
  readonly v1?: string;
  readonly v2?: string;
}

const CONTROLLERS: readonly ControllerOption[] = [
  { option: 'CPUSETS', v1: 'cpuset', v2: 'cpuset' },
  { option: 'CGROUP_SCHED', v1: 'cpu', v2: 'cpu' },
  { option: 'CGROUP_CPUACCT', v1: 'cpuacct' },
  { option: 'BLK_CGROUP', v1: 'blkio', v2: 'io' },
  { option: 'MEMCG', v1: 'memory', v2: 'memory' },
  { option: 'CGROUP_DEVICE', v1: 'devices' },
  { option: 'CGROUP_FREEZER', v1: 'freezer' },
  { option: 'CGROUP_NET_CLASSID', v1: 'net_cls' },
  { option: 'CGROUP_PERF', v1: 'perf_event', v2: 'perf_event' },
  { option: 'CGROUP_NET_PRIO', v1: 'net_prio' },
  { option: 'CGROUP_HUGETLB', v1: 'hugetlb', v2: 'hugetlb' },
  { option: 'CGROUP_PIDS', v1: 'pids', v2: 'pids' },
  { option: 'CGROUP_RDMA', v1: 'rdma', v2: 'rdma' },
  { option: 'CGROUP_MISC', v1: 'misc', v2: 'misc' },
  { option: 'CGROUP_DMEM', v2: 'dmem' },
];

/** v1 controllers that need an extra option from a given mainline release on. */
export const V1_GATES: readonly { controller: string; option: string; since: string; commit: string }[] = [
  { controller: 'memory', option: 'MEMCG_V1', since: '6.11', commit: 'e93d4166b40a' },
  { controller: 'cpuset', option: 'CPUSETS_V1', since: '6.12', commit: '1abab1ba0775' },
];

export interface ConfigControllers {
  readonly controllers: string[];
  /** Controllers removed by a gate, with the reason. */
  readonly gated: { controller: string; reason: string }[];
  readonly evidence: Evidence[];
}

export function configCgroupControllers(facts: HostFacts, version: 1 | 2): ConfigControllers | undefined {
  if (facts.kernel.config.state !== 'known') return undefined;
  const evidence: Evidence[] = [];
  const cgroups = configOption(facts, 'CGROUPS');
  evidence.push(cgroups.evidence);
  if (!enabled(cgroups)) return { controllers: [], gated: [], evidence };
  const controllers: string[] = [];
  for (const c of CONTROLLERS) {
    const name = version === 1 ? c.v1 : c.v2;
    if (name === undefined) continue;
    const r = configOption(facts, c.option);
    if (enabled(r)) {
      controllers.push(name);
      evidence.push(r.evidence);
    }
  }
  const gated: { controller: string; reason: string }[] = [];
  if (version === 1) {
    const rel = kernelRelease(facts);
    for (const g of V1_GATES) {
      if (!controllers.includes(g.controller)) continue;
      const r = configOption(facts, g.option);
      evidence.push(r.evidence);
      const newEnough = rel !== undefined && atLeast(rel.release, g.since) === true;
      if (r.kind === 'set' ? r.value === 'n' : newEnough) {
        gated.push({
          controller: g.controller,
          reason:
            r.kind === 'set'
              ? `CONFIG_${g.option} is not set (${g.since}+, ${g.commit}): no v1 ${g.controller} hierarchy can be mounted`
              : `kernel ${rel?.release ?? '?'} >= ${g.since} and CONFIG_${g.option} is absent (${g.commit}, default n)`,
        });
      }
    }
  }
  return { controllers: controllers.filter((c) => !gated.some((g) => g.controller === c)), gated, evidence };
}
