// modprobe --dry-run with the real kmod against a real Debian 6.12 module tree (fixture): "ok" for modules it would
// insmod, kmod's own error for the rest; module names that are not names are never passed to modprobe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeModprobe } from '../../src/probes/modprobe.ts';
import { modulesOfWorkloads } from '../../src/probes/workload-modules.ts';
import { findTool } from '../../src/probes/exec.ts';
import { BUILTIN_WORKLOADS } from '../../src/kb/builtin-workloads.ts';
import { fixtureManifest, need } from '../helpers/fixtures.ts';
import * as fs from 'node:fs';

test('dry run against the Debian 6.12 module tree: cilium\'s iptable_raw resolves, a missing module gives kmod\'s error', (t) => {
  const tree = fixtureManifest()?.trees['kernel-6.12'];
  if (!need(t, tree !== undefined && fs.existsSync(tree.root) && findTool('modprobe') !== null, 'kernel-6.12 module tree and kmod')) return;
  const f = probeModprobe(['iptable_raw', 'nosuchmod', '../../etc/passwd'], { configModules: 'y', moduleTree: { root: tree!.root, release: tree!.release } });
  assert.equal(f.state, 'known');
  if (f.state !== 'known') return;
  assert.equal(f.value.iptable_raw, 'ok');
  assert.match(f.value.nosuchmod ?? '', /^modprobe: FATAL: Module nosuchmod not found in directory /);
  assert.equal(f.value['../../etc/passwd'], 'not a module name');
});

test('the modules of the selected workloads come from their module requirements; unknown ids are a usage error', () => {
  const cilium = modulesOfWorkloads(BUILTIN_WORKLOADS, ['cilium']);
  assert.ok(cilium.includes('iptable_raw'), cilium.join(','));
  const all = modulesOfWorkloads(BUILTIN_WORKLOADS, undefined);
  assert.ok(all.length >= cilium.length);
  assert.throws(() => modulesOfWorkloads(BUILTIN_WORKLOADS, ['nope']), /unknown workload "nope"; known: /);
});
