// Every built-in workload has a passing and a failing case: a real kernel config (Debian 13) provisioned with what the
// profile asks for passes; the same config with those options switched off fails.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { known } from '../../src/facts/fact.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { BUILTIN_WORKLOADS } from '../../src/kb/builtin-workloads.ts';
import { optionName } from '../../src/kb/requirement-eval.ts';
import type { WorkloadProfile } from '../../src/kb/profile-types.ts';
import { need } from '../helpers/fixtures.ts';
import { corpusAvailable, fromConfig, snapshotOf } from './support.ts';

function options(w: WorkloadProfile): string[] {
  return w.requirements.flatMap((r) => (r.kind === 'kernel-option' ? r.anyOf.map(optionName) : r.kind === 'module' ? (r.config ?? []).map(optionName) : []));
}

const ARCHES = ['aarch64', 'arm', 'ppc64le', 's390x', 'riscv64'];

function provisioned(w: WorkloadProfile) {
  const on = Object.fromEntries([...options(w), 'CPUSETS_V1', 'MEMCG_V1'].map((o) => [o, 'y']));
  const modules = w.requirements.flatMap((r) => (r.kind === 'module' ? r.anyOf : []));
  const sysctls = Object.fromEntries(w.requirements.flatMap((r) => (r.kind === 'sysctl' ? [[r.key, r.value]] : [])));
  const mount = '/proc/sys/fs/binfmt_misc';
  // hand-made live state on top of the real config: loaded modules, sysctls, swap off, binfmt handlers and a host mount.
  return fromConfig('debian13-6.12.63')
    .withConfigOptions(on)
    .withArch('x86_64')
    .withLoaded(modules)
    .with('netfilter', 'sysctls', known(sysctls, '/proc/sys'))
    .with('kernel', 'swaps', known([], '/proc/swaps'))
    .withBinfmtMounts([mount])
    .with('binfmt', 'bootMount', known(['proc-sys-fs-binfmt_misc.mount'], '/usr/lib/systemd/system'))
    .with(
      'binfmt',
      'entries',
      known(ARCHES.map((a) => ({ name: `qemu-${a}`, enabled: true, interpreter: `/usr/bin/qemu-${a}-static`, flags: 'F', type: 'magic' as const, offset: 0 })), mount),
    )
    .build();
}

function bare(w: WorkloadProfile) {
  const off = Object.fromEntries([...options(w), 'CPUSETS', 'MEMCG', 'CGROUP_PIDS', 'CGROUP_SCHED', 'NF_TABLES'].map((o) => [o, 'n']));
  return fromConfig('debian13-6.12.63')
    .withConfigOptions(off)
    .with('netfilter', 'sysctls', known({}, '/proc/sys'))
    .with('binfmt', 'entries', known([], '/proc/sys/fs/binfmt_misc'))
    .build();
}

for (const w of BUILTIN_WORKLOADS) {
  test(`workload ${w.id}: passes on a provisioned host, fails on a bare one`, (t) => {
    if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
    const good = evaluate(snapshotOf(provisioned(w)), { workloads: [w.id] }).findings.filter((f) => f.workload === w.id);
    const notPass = good.filter((f) => f.outcome !== 'pass' && f.outcome !== 'not-applicable');
    assert.deepEqual(notPass.map((f) => `${f.checkId}:${f.requirement ?? ''} ${f.outcome} ${f.message}`), []);
    const badFindings = evaluate(snapshotOf(bare(w)), { workloads: [w.id] }).findings.filter((f) => f.workload === w.id);
    assert.ok(badFindings.some((f) => f.outcome === 'fail'), `no failure for ${w.id} on a bare host`);
  });
}
