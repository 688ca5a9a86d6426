// evaluate(): the JSON report contract of DESIGN.md, workload selection, severity by configuration, stable order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../src/cli/user-error.ts';
import { evaluate } from '../../src/engine/evaluate.ts';
import { summarize } from '../../src/engine/report.ts';
import { need } from '../helpers/fixtures.ts';
import { corpusAvailable, fixtureProfile, fromConfig, snapshotOf } from '../kb/support.ts';
import { BUILTIN_WORKLOADS } from '../../src/kb/builtin-workloads.ts';

test('an unknown workload id is a UserError listing the known ids', () => {
  const snap = snapshotOf({} as never);
  assert.throws(
    () => evaluate(snap, { workloads: ['cilium', 'cillium'] }),
    (e: unknown) => e instanceof UserError && /unknown workload "cillium"; known workloads: antrea, calico, cilium, /.test(e.message),
  );
});

test('report shape: schema version, target, capabilities, summary matching findings', (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const report = evaluate(snapshotOf(fromConfig('debian13-6.12.63').build(), 'kernel-config', 'debian13'));
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.tool.name, 'nodefit');
  assert.equal(report.target.kind, 'kernel-config');
  assert.equal(report.target.kernelRelease, '6.12.63');
  for (const name of ['iptablesLegacy', 'iptablesNft', 'moduleCompression', 'cgroupV1Controllers', 'binfmtClearsOnUnmount', 'nftChains'])
    assert.ok(report.target.capabilities[name] !== undefined && typeof report.target.capabilities[name].reason === 'string', name);
  assert.deepEqual(report.target.capabilities.binfmtClearsOnUnmount!.value, true);
  assert.deepEqual(report.summary, summarize(report.findings));
  const workloads = new Set(report.findings.map((f) => f.workload));
  // every built-in host workload, and not the guest kernel's (checked only when named); each incident check concerns
  // one of them, so none is host-wide
  assert.deepEqual([...workloads].sort(), BUILTIN_WORKLOADS.filter((w) => w.id !== 'kata-guest').map((w) => w.id).sort());
  for (const f of report.findings) {
    assert.ok(['pass', 'fail', 'warn', 'unknown', 'not-applicable'].includes(f.outcome));
    assert.ok(['error', 'warning', 'info'].includes(f.severity));
    assert.ok(f.references.length > 0 && f.remediation.length > 0, `${f.checkId}/${f.workload}: references and remediation`);
  }
});

test('findings are in a stable order and evaluation is deterministic', (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const snap = snapshotOf(fromConfig('bottlerocket-6.1.163').build());
  const a = evaluate(snap, { workloads: ['qemu-binfmt', 'cilium', 'antrea'] });
  const b = evaluate(snap, { workloads: ['antrea', 'cilium', 'qemu-binfmt'] });
  assert.deepEqual(a, b);
  const keys = a.findings.map((f) => f.workload ?? '');
  assert.deepEqual(keys, [...keys].sort());
  assert.equal(a.findings[0]!.workload, null, 'host-wide findings first');
});

test('optional requirements warn; required ones fail at error; configuration overrides severity', (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const snap = snapshotOf(fromConfig('debian13-6.12.63').build());
  const builtin = evaluate(snap, { workloads: ['kata-containers'] }).findings.find((f) => f.checkId === 'cgroup-v1-controller-missing' && f.message.startsWith('cpuset'));
  assert.equal(builtin?.outcome, 'warn');
  assert.equal(builtin?.severity, 'warning');
  const guest = fixtureProfile('kata-3.13-guest');
  const strict = evaluate(snap, { workloads: ['kata-3.13-guest'], profiles: [guest] }).findings.find((f) => f.checkId === 'cgroup-v1-controller-missing');
  assert.equal(strict?.outcome, 'fail');
  assert.equal(strict?.severity, 'error');
  assert.deepEqual(strict?.actions?.map((a) => a.kind), ['kernel-cmdline', 'kernel-cmdline']);
  const relaxed = evaluate(snap, { workloads: ['kata-3.13-guest'], profiles: [guest], severities: { 'cgroup-v1-controller-missing': 'info' } });
  assert.ok(relaxed.findings.filter((f) => f.checkId === 'cgroup-v1-controller-missing').every((f) => f.severity === 'info'));
});

test('kbDirs without loaded profiles is refused with a clear message', () => {
  assert.throws(() => evaluate(snapshotOf({} as never), { kbDirs: ['x'] }), /loadUserProfiles/);
});

test('remediation follows the target OS family', (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const br = fromConfig('bottlerocket-6.1.163').withOs({ id: 'bottlerocket', family: 'bottlerocket', versionId: '1.23.0' }).build();
  const f = evaluate(snapshotOf(br), { workloads: ['antrea'] }).findings.find((x) => x.checkId === 'module-compression-support')!;
  assert.ok(f.remediation.some((r) => r.os === 'bottlerocket' && r.text.includes('settings.kernel.modules')));
  assert.ok(f.remediation.every((r) => r.os === 'any' || r.os === 'bottlerocket'));
  assert.deepEqual(f.actions, [{ kind: 'load-module', module: 'openvswitch' }]);
});
