// Fleet what-if: nodes keep their own userspace facts and take the candidate's kernel; each gets a diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadTarget } from '../../src/targets/load-target.ts';
import { transplantKernel, whatIf } from '../../src/engine/what-if.ts';
import { known } from '../../src/facts/fact.ts';
import type { Snapshot } from '../../src/facts/snapshot.ts';
import { debFixture, fixtureManifest, KERNEL_CONFIGS_DIR, need } from '../helpers/fixtures.ts';

const debian12 = path.join(KERNEL_CONFIGS_DIR, 'debian12-6.1.159-1.config');
const debian13 = path.join(KERNEL_CONFIGS_DIR, 'debian13-6.12.63-1.config');

async function node(name: string, config: string): Promise<Snapshot> {
  const s = await loadTarget({ base: { kind: 'offline' }, kernelConfig: config });
  return {
    ...s,
    target: { ...s.target, hostname: name },
    facts: {
      ...s.facts,
      kernel: { ...s.facts.kernel, release: known('6.1.159-1-amd64', 'uname'), cmdline: known(['ro', 'quiet'], '/proc/cmdline') },
      os: { ...s.facts.os, release: known({ id: 'debian', idLike: [], family: 'debian' as const, versionId: '12' }, '/etc/os-release') },
    },
  };
}

test('transplanting a kernel keeps the node userspace and marks booted-kernel facts unknown', async (t) => {
  if (!need(t, fs.existsSync(debian12) && fs.existsSync(debian13), 'the kernel config corpus')) return;
  const n = await node('node-a', debian12);
  const cand = await loadTarget({ base: { kind: 'offline' }, kernelConfig: debian13 });
  const moved = transplantKernel(n, cand);
  assert.deepEqual(moved.facts.os, n.facts.os);
  assert.deepEqual(moved.facts.kernel.cmdline, n.facts.kernel.cmdline, 'the boot loader command line stays the node');
  assert.deepEqual(moved.facts.kernel.config, cand.facts.kernel.config);
  assert.equal(moved.facts.modules.loaded.state, 'unknown');
  assert.match(moved.facts.modules.loaded.state === 'unknown' ? moved.facts.modules.loaded.reason : '', /has not booted/);
  assert.equal(moved.target.hostname, 'node-a');
});

test('if these nodes got Debian 13 kernel 6.12, Kata breaks on each of them', async (t) => {
  if (!need(t, fs.existsSync(debian12) && fs.existsSync(debian13), 'the kernel config corpus')) return;
  const nodes = [await node('node-a', debian12), await node('node-b', debian12)];
  const cand = await loadTarget({ base: { kind: 'offline' }, kernelConfig: debian13 });
  const r = await whatIf(nodes, { kind: 'snapshot', snapshot: cand }, { workloads: ['kata-containers'], failOn: 'warning' });
  assert.deepEqual(r.nodes.map((x) => x.node), ['node-a', 'node-b']);
  assert.deepEqual(r.breaks, ['node-a', 'node-b']);
  for (const x of r.nodes) {
    assert.equal(x.diff.workloads.find((w) => w.workload === 'kata-containers')?.status, 'breaks');
    assert.ok(x.diff.facts.some((f) => f.fact === 'kernel.config.CPUSETS_V1' && f.after === 'n'));
  }
});

test('a kernel package as the candidate is read once for the whole fleet', async (t) => {
  const deb = debFixture('kernel-6.12');
  if (!need(t, deb !== null && fs.existsSync(debian12), 'the Debian 6.12 kernel package and the config corpus')) return;
  const r = await whatIf([await node('node-a', debian12)], { kind: 'kernel-package', file: deb!.path }, { workloads: ['kata-containers', 'cilium'] });
  // the newest 6.12 build in the archive, as dpkg-deb unpacked it for the fixtures
  const release = fixtureManifest()!.trees['kernel-6.12'].release;
  assert.match(release, /^6\.12\.\d+\+deb12-amd64$/);
  assert.equal(r.candidate.kernelRelease, release);
  const d = r.nodes[0]!.diff;
  assert.equal(d.after.kernelRelease, release);
  assert.equal(d.workloads.find((w) => w.workload === 'kata-containers')?.status, 'breaks');
  assert.ok(d.facts.some((f) => f.fact === 'modules.files.compression' && /^xz/.test(f.after)));
});
