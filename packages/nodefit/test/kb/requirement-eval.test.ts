// The shared requirement loop decides which results users see as not-applicable and in what order, for every
// requirement check at once, so it is held to that directly here rather than only through each check's table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult } from '../../src/kb/check.ts';
import type { HostFacts } from '../../src/facts/snapshot.ts';
import type { SysctlRequirement, WorkloadProfile } from '../../src/kb/profile-types.ts';
import { judgeRequirements, requirementsOfKind } from '../../src/kb/requirement-eval.ts';
import { contextFor } from '../../src/kb/testing/check-tester.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';
import { corpusConfigs, need } from '../helpers/fixtures.ts';

// hand-made: one requirement per way a requirement can be ruled out, between plain ones, to see order and precedence.
function sysctl(id: string, when?: SysctlRequirement['when']): SysctlRequirement {
  return { kind: 'sysctl', id, level: 'required', source: 'test', key: `net.test.${id}`, value: '1', ...(when === undefined ? {} : { when }) };
}
const workload: WorkloadProfile = {
  id: 'w',
  title: 'w',
  description: 'w',
  references: [],
  requirements: [
    sysctl('plain-1'),
    sysctl('newer-kernel', { kernel: '>=6.9' }),
    sysctl('extra'),
    sysctl('v2-only', { cgroup: 'v2' }),
    { kind: 'module', id: 'other-kind', level: 'required', source: 'test', anyOf: ['x'] },
    sysctl('plain-2'),
  ],
};
const ctx = contextFor({ facts: factsBuilder().withRelease('6.1.0').withCgroupMode('v1').build(), workloads: [workload] });

function run(extra?: (req: SysctlRequirement) => string | null): { results: CheckResult[]; judged: string[]; asked: string[] } {
  const judged: string[] = [];
  const asked: string[] = [];
  const results = judgeRequirements(
    ctx,
    requirementsOfKind(ctx, 'sysctl'),
    ({ workload: w, req }) => {
      judged.push(req.id);
      return { workload: w.id, requirement: req, outcome: 'pass', message: `${req.key} judged`, evidence: [] };
    },
    extra === undefined
      ? undefined
      : (req) => {
          asked.push(req.id);
          return extra(req);
        },
  );
  return { results, judged, asked };
}

test('requirements whose condition rules them out are not-applicable, the rest judged, one result each in profile order', () => {
  const { results, judged } = run();
  assert.deepEqual(
    results.map((r) => [r.requirement?.id, r.outcome, r.message]),
    [
      ['plain-1', 'pass', 'net.test.plain-1 judged'],
      ['newer-kernel', 'not-applicable', 'newer-kernel: only for kernels >=6.9'],
      ['extra', 'pass', 'net.test.extra judged'],
      ['v2-only', 'not-applicable', 'v2-only: only on cgroup v2 hosts (this host: v1)'],
      ['plain-2', 'pass', 'net.test.plain-2 judged'],
    ],
  );
  assert.deepEqual(judged, ['plain-1', 'extra', 'plain-2']);
  assert.ok(results.every((r) => r.workload === 'w' && (r.outcome === 'pass' || r.evidence.length === 0)));
});

test("a check's extra reason rules out requirements too, asked only after the condition held", () => {
  const { results, judged, asked } = run((req) => (req.id === 'extra' ? 'the host provides it itself' : null));
  assert.deepEqual(
    results.map((r) => [r.requirement?.id, r.outcome, r.message]),
    [
      ['plain-1', 'pass', 'net.test.plain-1 judged'],
      ['newer-kernel', 'not-applicable', 'newer-kernel: only for kernels >=6.9'],
      ['extra', 'not-applicable', 'extra: the host provides it itself'],
      ['v2-only', 'not-applicable', 'v2-only: only on cgroup v2 hosts (this host: v1)'],
      ['plain-2', 'pass', 'net.test.plain-2 judged'],
    ],
  );
  assert.deepEqual(judged, ['plain-1', 'plain-2']);
  assert.deepEqual(asked, ['plain-1', 'extra', 'plain-2']);
});

test('the condition reason wins over an extra reason for the same requirement', () => {
  const { results } = run(() => 'extra reason');
  assert.deepEqual(
    results.map((r) => r.message),
    ['plain-1: extra reason', 'newer-kernel: only for kernels >=6.9', 'extra: extra reason', 'v2-only: only on cgroup v2 hosts (this host: v1)', 'plain-2: extra reason'],
  );
});

test('pairs a check filtered out get no result at all', () => {
  const pairs = requirementsOfKind(ctx, 'sysctl').filter(({ req }) => req.id.startsWith('plain'));
  const results = judgeRequirements(ctx, pairs, ({ workload: w, req }) => ({ workload: w.id, requirement: req, outcome: 'fail', message: req.id, evidence: [] }));
  assert.deepEqual(
    results.map((r) => [r.message, r.outcome]),
    [
      ['plain-1', 'fail'],
      ['plain-2', 'fail'],
    ],
  );
});

test('a legacy-iptables condition rules a requirement out only on a kernel known to have (or to lack) legacy xtables', (t) => {
  const configs = corpusConfigs();
  const talos618 = configs.find((c) => c.includes('talos-6.18.45'));
  const debian12 = configs.find((c) => c.includes('debian12-6.1.159'));
  if (!need(t, talos618 !== undefined && debian12 !== undefined, 'the kernel-config corpus (talos-6.18.45, debian12-6.1.159)')) return;
  const sides: WorkloadProfile = { ...workload, requirements: [sysctl('legacy-tables', { iptablesLegacy: 'available' }), sysctl('nft-side', { iptablesLegacy: 'unavailable' })] };
  const messages = (facts: HostFacts) => {
    const c = contextFor({ facts, workloads: [sides] });
    return judgeRequirements(c, requirementsOfKind(c, 'sysctl'), ({ workload: w, req }) => ({ workload: w.id, requirement: req, outcome: 'pass', message: `${req.id} judged`, evidence: [] })).map((r) => r.message);
  };
  // real configs: "# CONFIG_NETFILTER_XTABLES_LEGACY is not set" (Talos 6.18) against CONFIG_IP_NF_IPTABLES=m on 6.1
  assert.deepEqual(messages(factsBuilder().withConfigFile(talos618!).build()), [
    'legacy-tables: only where the kernel has legacy iptables, and this one has none (CONFIG_NETFILTER_XTABLES_LEGACY is not set: legacy xtables (ip_tables, iptables-legacy) is compiled out (v6.17 "netfilter: Make legacy configs user selectable"))',
    'nft-side judged',
  ]);
  const debian = messages(factsBuilder().withConfigFile(debian12!).build());
  assert.equal(debian[0], 'legacy-tables judged');
  assert.match(debian[1]!, /^nft-side: only where the kernel has no legacy iptables, and this one has it \(.*IP_NF_IPTABLES=m/);
  // no evidence either way: both apply (unknown is not "missing")
  assert.deepEqual(messages(factsBuilder().withoutConfig().build()), ['legacy-tables judged', 'nft-side judged']);
  // hand-made: a live host whose legacy tables are in use has legacy iptables whatever its config says
  assert.equal(messages(factsBuilder().withConfigFile(talos618!).withLegacyTables(['filter']).build())[0], 'legacy-tables judged');
});

test('a cgroup v1 condition rules a requirement out where the kernel has its memory controller on cgroup v2 only', (t) => {
  const configs = corpusConfigs();
  const leap16 = configs.find((c) => c.includes('opensuse-leap16.0'));
  const debian12 = configs.find((c) => c.includes('debian12-6.1.159'));
  if (!need(t, leap16 !== undefined && debian12 !== undefined, 'the kernel-config corpus (opensuse-leap16.0, debian12-6.1.159)')) return;
  const v1only: WorkloadProfile = { ...workload, requirements: [sysctl('v1-only', { cgroup: 'v1' })] };
  const message = (facts: HostFacts) => {
    const c = contextFor({ facts, workloads: [v1only] });
    return judgeRequirements(c, requirementsOfKind(c, 'sysctl'), ({ workload: w, req }) => ({ workload: w.id, requirement: req, outcome: 'pass', message: `${req.id} judged`, evidence: [] }))[0]?.message;
  };
  // real config: openSUSE Leap 16's 6.12 has MEMCG=y and "# CONFIG_MEMCG_V1 is not set": nothing runs on v1 there
  assert.equal(message(factsBuilder().withConfigFile(leap16!).build()), 'v1-only: only on cgroup v1 hosts, and this kernel has its memory controller on cgroup v2 only (CONFIG_MEMCG_V1 unset), so it runs cgroup v2');
  // 6.1 has v1 memory: the hierarchy is unknown from a config alone, so the requirement applies
  assert.equal(message(factsBuilder().withConfigFile(debian12!).build()), 'v1-only judged');
  // no memory controller at all says nothing about the hierarchy (hand-made)
  assert.equal(message(factsBuilder().withConfig({ CGROUPS: 'y', MEMCG: 'n' }).build()), 'v1-only judged');
  // a live host's own mode decides first (hand-made: a v1 host on the same kernel)
  assert.equal(message(factsBuilder().withConfigFile(leap16!).withCgroupMode('v1').build()), 'v1-only judged');
});

test('an arch condition rules a requirement out on another architecture, from uname or the kernel config', () => {
  const x86only: WorkloadProfile = { ...workload, requirements: [sysctl('x86-only', { arch: 'x86_64' })] };
  const outcome = (facts: HostFacts) => {
    const c = contextFor({ facts, workloads: [x86only] });
    const r = judgeRequirements(c, requirementsOfKind(c, 'sysctl'), ({ workload: w, req }) => ({ workload: w.id, requirement: req, outcome: 'fail', message: `${req.id} failed`, evidence: [] }))[0]!;
    return [r.outcome, r.message];
  };
  // hand-made: an arm64 host (Graviton) has no kvm_intel/kvm_amd to ask for
  assert.deepEqual(outcome(factsBuilder().withArch('aarch64').build()), ['not-applicable', 'x86-only: only on x86_64 hosts (this one: aarch64)']);
  assert.deepEqual(outcome(factsBuilder().withConfig({ ARM64: 'y' }).build()), ['not-applicable', 'x86-only: only on x86_64 hosts (this one: aarch64)']);
  assert.deepEqual(outcome(factsBuilder().withConfig({ X86_64: 'y' }).build()), ['fail', 'x86-only failed']);
  // nothing says: judged (engine/open-conditions.ts then reports the failure as unknown)
  assert.deepEqual(outcome(factsBuilder().build()), ['fail', 'x86-only failed']);
});

test('a 32-bit ARM host is "arm" whatever its uname says, so it needs no qemu-arm handler for itself', () => {
  const armOnly: WorkloadProfile = { ...workload, requirements: [sysctl('arm-only', { arch: 'arm' })] };
  const outcome = (facts: HostFacts) => {
    const c = contextFor({ facts, workloads: [armOnly] });
    return judgeRequirements(c, requirementsOfKind(c, 'sysctl'), ({ workload: w, req }) => ({ workload: w.id, requirement: req, outcome: 'pass', message: `${req.id} judged`, evidence: [] }))[0]!.message;
  };
  // hand-made: a Raspberry Pi's armv7l and armv6l unames, and the ARM kernel config, are all QEMU's arm
  for (const uname of ['armv7l', 'armv6l']) assert.equal(outcome(factsBuilder().withArch(uname).build()), 'arm-only judged', uname);
  assert.equal(outcome(factsBuilder().withConfig({ ARM: 'y' }).build()), 'arm-only judged');
  assert.equal(outcome(factsBuilder().withArch('i686').build()), 'arm-only: only on arm hosts (this one: i386)');
});
