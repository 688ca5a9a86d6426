// The cgroup v1 controllers a v1 hierarchy can be mounted with: what v1-only workloads (old runc/JVMs, the Kata agent
// in init mode) depend on. Since 6.12 /proc/cgroups no longer lists v1 controllers compiled out (af000ce85293
// "cgroup: Do not report unavailable v1 controllers in /proc/cgroups"); on 6.11 with MEMCG_V1=n "memory" is still
// listed although it cannot be mounted, so the config gates apply on live hosts too.
import type { HostFacts } from '../facts/snapshot.ts';
import { capability, type Capability, type Evidence } from './capability.ts';
import { configCgroupControllers } from './cgroup-controllers-config.ts';
import { factEvidence } from './facts-view.ts';

export function deriveCgroupV1Controllers(facts: HostFacts): Capability<readonly string[]> {
  const cg = facts.cgroups;
  const ev: Evidence[] = [];
  const cmdline = cg.cmdline.state === 'known' ? cg.cmdline.value : undefined;
  if (cg.cmdline.state === 'known') ev.push(factEvidence('cgroups.cmdline.noV1', cg.cmdline, (v) => v.noV1.join(',') || '(none)'));
  const noV1 = cmdline?.noV1 ?? [];
  const disabledAll = cmdline?.disable ?? [];
  const notes: string[] = [];
  const drop = (names: Iterable<string>): string[] => {
    const out: string[] = [];
    for (const n of names) {
      if (noV1.includes('all') || noV1.includes(n)) {
        notes.push(`${n} excluded by cgroup_no_v1`);
        continue;
      }
      if (disabledAll.includes(n)) {
        notes.push(`${n} disabled by cgroup_disable`);
        continue;
      }
      out.push(n);
    }
    return out;
  };
  const cfg = configCgroupControllers(facts, 1);

  const live = new Set<string>();
  let liveSource = false;
  if (cg.procCgroups.state === 'known') {
    liveSource = true;
    ev.push(factEvidence('cgroups.procCgroups', cg.procCgroups, (v) => v.filter((l) => l.enabled).map((l) => l.name).join(',')));
    for (const l of cg.procCgroups.value) if (l.enabled) live.add(l.name);
  }
  if (cg.hierarchies.state === 'known') {
    liveSource = true;
    const v1 = cg.hierarchies.value.filter((h) => h.version === 1);
    ev.push(factEvidence('cgroups.hierarchies', cg.hierarchies, () => v1.map((h) => `${h.mountPoint}:${h.controllers.join(',')}`).join(' ') || 'no v1 mounts'));
    for (const h of v1) for (const c of h.controllers) if (!c.startsWith('name=')) live.add(c);
  }
  if (liveSource) {
    let names = drop([...live].sort());
    if (cfg !== undefined) {
      for (const g of cfg.gated) {
        if (names.includes(g.controller)) {
          names = names.filter((n) => n !== g.controller);
          notes.push(`${g.controller}: ${g.reason}`);
        }
      }
      ev.push(...cfg.evidence.filter((e) => /_V1$/.test(e.fact)));
    }
    return capability<readonly string[]>(
      names,
      `from the running kernel (/proc/cgroups enabled controllers and mounted v1 hierarchies)${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
      ev,
    );
  }
  if (cfg === undefined) {
    ev.push(factEvidence('cgroups.procCgroups', cg.procCgroups, () => ''));
    ev.push(factEvidence('kernel.config', facts.kernel.config, () => ''));
    return capability<readonly string[]>('unknown', 'neither /proc/cgroups nor a kernel config is available', ev);
  }
  ev.push(...cfg.evidence);
  const names = drop(cfg.controllers);
  for (const g of cfg.gated) notes.push(`${g.controller}: ${g.reason}`);
  return capability<readonly string[]>(names, `from the kernel config${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`, ev);
}
