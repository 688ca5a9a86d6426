// The controllers the cgroup v2 root offers (cgroup.controllers), or what the config would offer when not live.
import type { HostFacts } from '../facts/snapshot.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { configCgroupControllers } from './cgroup-controllers-config.ts';
import { factEvidence } from './facts-view.ts';

export function deriveCgroupV2Controllers(facts: HostFacts): Capability<readonly string[]> {
  const cg = facts.cgroups;
  const ev: Evidence[] = [factEvidence('cgroups.v2Controllers', cg.v2Controllers, (v) => v.join(','))];
  if (cg.v2Controllers.state === 'known') {
    return capability<readonly string[]>([...cg.v2Controllers.value].sort(), 'from the v2 root cgroup.controllers', ev);
  }
  const cfg = configCgroupControllers(facts, 2);
  if (cfg === undefined) {
    return capability<readonly string[]>('unknown', 'no mounted cgroup v2 root and no kernel config', ev);
  }
  ev.push(...cfg.evidence);
  const disabled = cg.cmdline.state === 'known' ? cg.cmdline.value.disable : [];
  const names = cfg.controllers.filter((c) => !disabled.includes(c));
  return capability<readonly string[]>(
    names,
    `from the kernel config${disabled.length > 0 ? ` minus cgroup_disable=${disabled.join(',')}` : ''} (no mounted cgroup v2 root to read)`,
    ev,
  );
}
