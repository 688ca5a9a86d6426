// cgroupV1Controllers / cgroupV2Controllers: live /proc/cgroups and mounts, cgroup_no_v1, and the 6.11/6.12 v1 gates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveCgroupV1Controllers } from '../../src/capabilities/cgroup-v1-controllers.ts';
import { deriveCgroupV2Controllers } from '../../src/capabilities/cgroup-v2-controllers.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';

const CG = { CGROUPS: 'y', CPUSETS: 'y', MEMCG: 'y', CGROUP_SCHED: 'y', CGROUP_PIDS: 'y', CGROUP_DEVICE: 'y' };

const sorted = (v: readonly string[] | 'unknown') => (v === 'unknown' ? v : [...v].sort());

const offline: { name: string; release: string; options: Record<string, string>; expect: string[] }[] = [
  { name: '6.1: no gates yet', release: '6.1.159', options: CG, expect: ['cpu', 'cpuset', 'devices', 'memory', 'pids'] },
  { name: '6.11 with MEMCG_V1 unset', release: '6.11.2', options: { ...CG, MEMCG_V1: 'n' }, expect: ['cpu', 'cpuset', 'devices', 'pids'] },
  { name: '6.12 with both unset (Debian 13, Kata guest)', release: '6.12.63', options: { ...CG, MEMCG_V1: 'n', CPUSETS_V1: 'n' }, expect: ['cpu', 'devices', 'pids'] },
  { name: '6.12 with both set (Bottlerocket)', release: '6.12.73', options: { ...CG, MEMCG_V1: 'y', CPUSETS_V1: 'y' }, expect: ['cpu', 'cpuset', 'devices', 'memory', 'pids'] },
  { name: '6.12 with the options absent (default n)', release: '6.12.1', options: CG, expect: ['cpu', 'devices', 'pids'] },
  { name: 'CGROUPS off', release: '6.1.1', options: { ...CG, CGROUPS: 'n' }, expect: [] },
];

for (const c of offline) {
  test(`cgroupV1Controllers offline: ${c.name}`, () => {
    const cap = deriveCgroupV1Controllers(factsBuilder().withRelease(c.release).withConfig(c.options).build());
    assert.deepEqual(sorted(cap.value), c.expect, cap.reason);
  });
}

test('cgroupV1Controllers live: /proc/cgroups enabled + mounted v1 hierarchies, minus cgroup_no_v1', () => {
  const f = factsBuilder()
    .withProcCgroups(['cpu', 'cpuset', { name: 'memory', enabled: false }, 'pids'])
    .withHierarchies([
      { version: 1, mountPoint: '/sys/fs/cgroup/memory', controllers: ['memory'] },
      { version: 1, mountPoint: '/sys/fs/cgroup/systemd', controllers: ['name=systemd'] },
      { version: 2, mountPoint: '/sys/fs/cgroup/unified', controllers: ['io'] },
    ])
    .withCgroupCmdline({ noV1: ['pids'] })
    .build();
  const cap = deriveCgroupV1Controllers(f);
  assert.deepEqual(sorted(cap.value), ['cpu', 'cpuset', 'memory']);
  assert.match(cap.reason, /pids excluded by cgroup_no_v1/);
  const all = deriveCgroupV1Controllers(factsBuilder().withProcCgroups(['cpu', 'memory']).withCgroupCmdline({ noV1: ['all'] }).build());
  assert.deepEqual(all.value, []);
});

test('cgroupV1Controllers live on 6.11: "memory" still listed in /proc/cgroups but MEMCG_V1=n removes it', () => {
  const f = factsBuilder().withRelease('6.11.5').withConfig({ ...CG, MEMCG_V1: 'n' }).withProcCgroups(['cpu', 'memory', 'cpuset']).build();
  const cap = deriveCgroupV1Controllers(f);
  assert.deepEqual(sorted(cap.value), ['cpu', 'cpuset']);
  assert.match(cap.reason, /MEMCG_V1/);
});

test('cgroupV1Controllers: nothing known is unknown', () => {
  assert.equal(deriveCgroupV1Controllers(factsBuilder().build()).value, 'unknown');
});

test('cgroupV2Controllers: root cgroup.controllers when live, v2 names from config otherwise', () => {
  assert.deepEqual(deriveCgroupV2Controllers(factsBuilder().withV2Controllers(['memory', 'cpu', 'io']).build()).value, ['cpu', 'io', 'memory']);
  const cfg = deriveCgroupV2Controllers(factsBuilder().withConfig({ ...CG, BLK_CGROUP: 'y', CGROUP_FREEZER: 'y', CPUSETS_V1: 'n' }).build());
  // freezer and devices are not v2 controllers; cpuset stays (CPUSETS_V1 only gates v1); blkio is "io" in v2.
  assert.deepEqual(sorted(cfg.value), ['cpu', 'cpuset', 'io', 'memory', 'pids']);
  const disabled = deriveCgroupV2Controllers(factsBuilder().withConfig(CG).withCgroupCmdline({ disable: ['memory'] }).build());
  assert.ok(disabled.value !== 'unknown' && !disabled.value.includes('memory'));
  assert.equal(deriveCgroupV2Controllers(factsBuilder().build()).value, 'unknown');
});
