// A failure that depends on a condition the target leaves open is unknown, unless the workload fails on both sides.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { settleOpenConditions } from '../../src/engine/open-conditions.ts';
import type { CheckResult } from '../../src/kb/check.ts';
import type { Requirement, SysctlRequirement, WorkloadProfile } from '../../src/kb/profile-types.ts';
import { contextFor } from '../../src/kb/testing/check-tester.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';
import { KERNEL_CONFIGS_DIR, need } from '../helpers/fixtures.ts';
import * as fs from 'node:fs';

// hand-made requirements: one per kind of condition, and a pair on both sides of the cgroup hierarchy
function req(id: string, when?: SysctlRequirement['when'], level: Requirement['level'] = 'required'): SysctlRequirement {
  return { kind: 'sysctl', id, level, source: 'test', key: `net.test.${id}`, value: '1', ...(when === undefined ? {} : { when }) };
}
const fail = (r: Requirement, workload = 'w'): CheckResult => ({ workload, requirement: r, outcome: 'fail', message: `${r.id} failed`, evidence: [] });
const profile = (requirements: Requirement[]): WorkloadProfile => ({ id: 'w', title: 'w', description: 'w', references: [], requirements });
const settle = (facts: ReturnType<ReturnType<typeof factsBuilder>['build']>, reqs: Requirement[], results: CheckResult[]) =>
  settleOpenConditions(contextFor({ facts, workloads: [profile(reqs)] }), results).map((r) => [r.outcome, r.message]);

describe('settleOpenConditions', () => {
  const v1 = req('device-v1', { cgroup: 'v1' });
  const v2 = req('device-v2', { cgroup: 'v2' });
  const old = req('old-kernel', { kernel: '<5.2' });
  const legacy = req('legacy-tables', { iptablesLegacy: 'available' });

  it('reports a failure as unknown, naming the open part, when the target leaves its condition open', () => {
    // a kernel config alone without a version: hierarchy, version and legacy iptables are all open
    const facts = factsBuilder().withConfig({ CGROUPS: 'y', MEMCG: 'y' }).build();
    assert.deepEqual(settle(facts, [v1, old, req('always')], [fail(v1), fail(old), fail(req('always'))]), [
      ['unknown', "device-v1 failed: fails if it applies (only on cgroup v1 hosts, and this target's cgroup hierarchy is unknown)"],
      ['unknown', 'old-kernel failed: fails if it applies (only for kernels <5.2, and the kernel version is unknown)'],
      ['fail', 'always failed'],
    ]);
    assert.deepEqual(settle(facts, [legacy], [fail(legacy)]), [['unknown', 'legacy-tables failed: fails if it applies (only where the kernel has legacy iptables, and whether it does is unknown)']]);
  });

  it('keeps the failure when a required sibling on the other side fails too: the workload fails either way', () => {
    const facts = factsBuilder().withConfig({ CGROUPS: 'y', MEMCG: 'y' }).build();
    assert.deepEqual(settle(facts, [v1, v2], [fail(v1), fail(v2)]), [
      ['fail', 'device-v1 failed (fails either way: device-v2 fails on the other cgroup hierarchy)'],
      ['fail', 'device-v2 failed (fails either way: device-v1 fails on the other cgroup hierarchy)'],
    ]);
    // an optional sibling there is only a warning, and another workload's failure says nothing about this one
    const optionalV2 = req('pids-v2', { cgroup: 'v2' }, 'optional');
    assert.equal(settle(facts, [v1, optionalV2], [fail(v1), fail(optionalV2)])[0]![0], 'unknown');
    assert.equal(settle(facts, [v1, v2], [fail(v1), fail(v2, 'other')])[0]![0], 'unknown');
    // an optional need stays undecided however the workload fares on the other side (kubelet's kernel 5.8 for v2
    // next to its v1 memory controller)
    const optional = req('v2-kernel', { cgroup: 'v2' }, 'optional');
    assert.equal(settle(facts, [v1, optional], [fail(v1), fail(optional)])[1]![0], 'unknown');
  });

  it('leaves decided conditions alone: a live v1 host, and a kernel whose memory controller is on v2 only', (t) => {
    assert.deepEqual(settle(factsBuilder().withRelease('5.1.0').withCgroupMode('v1').build(), [v1, old], [fail(v1), fail(old)]).map(([o]) => o), ['fail', 'fail']);
    // real config: openSUSE Leap 16 has MEMCG=y and no MEMCG_V1, so it runs cgroup v2 and a v2 failure stands
    const leap16 = path.join(KERNEL_CONFIGS_DIR, 'opensuse-leap16.0-6.12.0.config');
    if (!need(t, fs.existsSync(leap16), 'opensuse-leap16.0-6.12.0.config from the corpus')) return;
    assert.deepEqual(settle(factsBuilder().withConfigFile(leap16).build(), [v2], [fail(v2)]), [['fail', 'device-v2 failed']]);
  });
});
