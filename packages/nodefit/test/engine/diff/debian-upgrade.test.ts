// The upgrade nodefit exists for: Debian 6.1 (bookworm) → 6.12 (bookworm-backports), both read in place from the real
// .debs by `nodefit diff`. It must show modules going from uncompressed to xz, the v1 cpuset and memory controllers
// going away, and the Kata agent (a cgroup v1 consumer) breaking; and it must gate a pipeline on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debFixture, fixtureManifest, need } from '../../helpers/fixtures.ts';
import { runCli } from '../../../src/cli/run.ts';
import { memoryIo } from '../../../src/cli/io.ts';
import type { DiffReport } from '../../../src/engine/diff/diff-report.ts';

test('nodefit diff of the Debian 6.1 and 6.12 kernel packages: compression, v1 controllers, Kata, exit code', async (t) => {
  const before = debFixture('kernel-6.1');
  const after = debFixture('kernel-6.12');
  if (!need(t, before !== null && after !== null, 'the Debian 6.1 and 6.12 kernel packages')) return;
  const io = memoryIo();
  const code = await runCli(['diff', before!.path, after!.path, '--format', 'json', '--fail-on', 'warning'], io);
  assert.equal(io.err, '');
  const d = JSON.parse(io.out) as DiffReport;
  assert.equal(d.schemaVersion, 1);
  assert.equal(d.kind, 'nodefit-diff');
  assert.equal(d.before.kind, 'kernel-package');
  // the fixture script takes the archive's newest 6.1 and 6.12 builds, so the releases are the ones dpkg-deb unpacked
  const trees = fixtureManifest()!.trees;
  assert.match(d.before.kernelRelease ?? '', /^6\.1\.0-\d+-amd64$/);
  assert.equal(d.before.kernelRelease, trees['kernel-6.1'].release);
  assert.match(d.after.kernelRelease ?? '', /^6\.12\.\d+\+deb12-amd64$/);
  assert.equal(d.after.kernelRelease, trees['kernel-6.12'].release);

  const fact = (name: string) => d.facts.find((f) => f.fact === name);
  assert.deepEqual([fact('capabilities.moduleCompression')?.before, fact('capabilities.moduleCompression')?.after], ['none', 'xz']);
  assert.match(fact('modules.files.compression')?.before ?? '', /^none \(\d+\)$/);
  assert.match(fact('modules.files.compression')?.after ?? '', /^xz \(\d+\)$/);
  // 6.1 has no CPUSETS_V1/MEMCG_V1 options (v1 came with CPUSETS/MEMCG); Debian's 6.12 config turns both off
  assert.equal(fact('kernel.config.CPUSETS_V1')?.before, '(absent)');
  assert.equal(fact('kernel.config.CPUSETS_V1')?.after, 'n');
  assert.equal(fact('kernel.config.MEMCG_V1')?.after, 'n');
  const v1 = fact('capabilities.cgroupV1Controllers');
  assert.ok(v1 !== undefined);
  assert.match(v1.before, /cpuset/);
  assert.match(v1.before, /memory/);
  assert.doesNotMatch(v1.after, /cpuset|memory/);

  const kata = d.workloads.find((w) => w.workload === 'kata-containers');
  assert.equal(kata?.status, 'breaks');
  assert.ok((kata?.newFailures ?? []).every((c) => c.checkId === 'cgroup-v1-controller-missing' && c.trips));
  const kataFacts = (kata?.newFailures ?? []).flatMap((c) => c.movedFacts.map((m) => m.fact));
  assert.ok(kataFacts.includes('kernel.config.CPUSETS_V1'), kataFacts.join(', '));
  assert.ok(kataFacts.includes('kernel.config.MEMCG_V1'), kataFacts.join(', '));
  // module-loading workloads see the compression move in their own findings
  const cilium = d.workloads.find((w) => w.workload === 'cilium');
  assert.ok(cilium!.newFailures.some((c) => c.movedFacts.some((m) => m.fact === 'capabilities.moduleCompression')));
  assert.equal(d.workloads[0]?.status, 'breaks', 'broken workloads come first');
  assert.equal(code, 1, 'new warning-level failures trip --fail-on warning');
});
