// kata-guest: Kata's guest kernel, checked from its config. LinuxKit's real configs are VM guest kernels (Docker
// Desktop's) and show what the profile is for: incident 4, a 6.12 guest kernel without the v1 cpuset controller.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { evaluate, selectWorkloads } from '../../src/engine/evaluate.ts';
import type { Report } from '../../src/engine/report.ts';
import { BUILTIN_WORKLOADS } from '../../src/kb/builtin-workloads.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { need, tempDir } from '../helpers/fixtures.ts';
import { corpus, corpusAvailable } from './support.ts';

async function guestCheck(config: string): Promise<Report> {
  return evaluate(await loadTarget({ base: { kind: 'offline' }, kernelConfig: config }), { workloads: ['kata-guest'] });
}

const outcome = (r: Report, o: string) =>
  r.findings
    .filter((f) => f.workload === 'kata-guest' && f.outcome === o)
    .map((f) => `${f.checkId}:${f.requirement ?? ''}`)
    .sort();

test('a guest kernel profile is checked only when asked for: never in a default check of a host', () => {
  const byDefault = selectWorkloads(BUILTIN_WORKLOADS, undefined).map((w) => w.id);
  assert.ok(!byDefault.includes('kata-guest'));
  assert.ok(byDefault.includes('kata-containers'), 'the host side of Kata is');
  assert.deepEqual(selectWorkloads(BUILTIN_WORKLOADS, ['kata-guest']).map((w) => w.id), ['kata-guest']);
});

test("LinuxKit 6.12's real config as a Kata guest: vsock and virtio-fs are modules or missing, and a cgroup v1 agent has no cpuset", async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const r = await guestCheck(corpus('linuxkit-6.12.59'));
  // Kata's guest image has no modules, so =m fails like "not set"
  assert.deepEqual(outcome(r, 'fail'), ['kernel-option:virtio-fs', 'kernel-option:virtio-vsock', 'kernel-option:vsock']);
  assert.deepEqual(outcome(r, 'warn'), ['cgroup-v1-controller-missing:cpuset-v1', 'cgroup-v1-controller-missing:memory-v1']);
  const cpuset = r.findings.find((f) => f.requirement === 'cpuset-v1');
  assert.match(cpuset?.message ?? '', /CONFIG_CPUSETS_V1 is not set/);
  // the same kernel line before 6.11/6.12 always had the v1 controllers
  assert.deepEqual(outcome(await guestCheck(corpus('linuxkit-6.6.71')), 'warn'), []);
});

test('the same real config with the options Kata sets (=y, and the v1 controllers for an old agent) passes', async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  // hand-made from the real file: the five lines Kata's fragments would have set, the rest as LinuxKit ships it
  const fixed = fs
    .readFileSync(corpus('linuxkit-6.12.59'), 'utf8')
    .replace(/^CONFIG_VSOCKETS=m$/m, 'CONFIG_VSOCKETS=y')
    .replace(/^CONFIG_VIRTIO_VSOCKETS=m$/m, 'CONFIG_VIRTIO_VSOCKETS=y')
    .replace(/^# CONFIG_VIRTIO_FS is not set$/m, 'CONFIG_VIRTIO_FS=y')
    .replace(/^# CONFIG_CPUSETS_V1 is not set$/m, 'CONFIG_CPUSETS_V1=y')
    .replace(/^# CONFIG_MEMCG_V1 is not set$/m, 'CONFIG_MEMCG_V1=y');
  const file = path.join(tempDir(t), 'config-6.12.59-kata');
  fs.writeFileSync(file, fixed);
  const r = await guestCheck(file);
  const passed = new Set(r.findings.filter((f) => f.workload === 'kata-guest' && f.outcome === 'pass').map((f) => f.requirement));
  assert.deepEqual([...passed].sort(), BUILTIN_WORKLOADS.find((w) => w.id === 'kata-guest')!.requirements.map((q) => q.id).sort(), 'every requirement passes');
  assert.deepEqual([...outcome(r, 'fail'), ...outcome(r, 'warn'), ...outcome(r, 'unknown')], []);
});

test("a distribution's host kernel is no Kata guest: its virtio drivers are modules", async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const fails = outcome(await guestCheck(corpus('debian12-6.1.159')), 'fail');
  for (const id of ['virtio-transport', 'virtio-net', 'virtio-block', 'vsock', 'virtio-fs']) assert.ok(fails.includes(`kernel-option:${id}`), id);
});

test('checked against a host, a guest kernel profile is refused with one line; against a kernel config it runs', async (t) => {
  const { memoryIo } = await import('../../src/cli/io.ts');
  const { runCli } = await import('../../src/cli/run.ts');
  for (const args of [['check', '-w', 'kata-guest'], ['check', '-w', 'kata-guest,kubelet', '-f', 'nfd'], ['fix', '-w', 'kata-guest', '-f', 'cmdline'], ['check', '--root', '/', '-w', 'kata-guest']]) {
    const io = memoryIo();
    assert.equal(await runCli(args, io), 2, args.join(' '));
    assert.match(io.err, /^nodefit: kata-guest describes a VM guest kernel, not (this host|a --root): check the guest's kernel on its own with --kernel-config FILE/);
    assert.equal(io.out, '', 'no report that would label the node');
  }
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const io = memoryIo();
  assert.equal(await runCli(['check', '-w', 'kata-guest', '--kernel-config', corpus('linuxkit-6.12.59'), '--fail-on', 'never'], io), 0, io.err);
  // the guest's command line is Kata's to set (kernel_params): no host boot-loader instructions for it
  const fix = memoryIo();
  await runCli(['fix', '-w', 'kata-guest', '-f', 'cmdline', '--kernel-config', corpus('linuxkit-6.12.59')], fix);
  assert.doesNotMatch(fix.out, /^[^#].*cgroup_no_v1=all/m);
});

test('diff of two guest kernel configs runs; a diff with a host side is refused', async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const { memoryIo } = await import('../../src/cli/io.ts');
  const { runCli } = await import('../../src/cli/run.ts');
  const ok = memoryIo();
  const code = await runCli(['diff', corpus('linuxkit-6.6.71'), corpus('linuxkit-6.12.59'), '-w', 'kata-guest', '-f', 'json'], ok);
  assert.ok(code === 0 || code === 1, ok.err);
  // the upgrade from 6.6 to 6.12 is what took the v1 cpuset away (incident 4)
  assert.match(ok.out, /cpuset-v1/);
  const refused = memoryIo();
  assert.equal(await runCli(['diff', '/', corpus('linuxkit-6.12.59'), '-w', 'kata-guest'], refused), 2);
  assert.match(refused.err, /kata-guest describes a VM guest kernel, not a --root/);
});

test("probe's modules by default are the host workloads', not a guest kernel's", async () => {
  const { modulesOfWorkloads } = await import('../../src/probes/workload-modules.ts');
  // hand-made profiles: one for the host, one for a guest kernel, each asking for one module
  const profile = (id: string, module: string, appliesTo?: 'guest-kernel') => ({
    id,
    title: id,
    description: id,
    references: ['https://example.org'],
    ...(appliesTo === undefined ? {} : { appliesTo }),
    requirements: [{ id: module, kind: 'module' as const, anyOf: [module], level: 'required' as const, source: 'https://example.org' }],
  });
  const all = [profile('host-cni', 'vxlan'), profile('vm-guest', 'virtio_net', 'guest-kernel')];
  assert.deepEqual(modulesOfWorkloads(all, undefined), ['vxlan']);
  assert.deepEqual(modulesOfWorkloads(all, ['vm-guest']), ['virtio_net']);
});
