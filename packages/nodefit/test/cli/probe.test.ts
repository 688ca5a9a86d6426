// `nodefit probe`: the results a user sees, in text and json, and the snapshot it can write with the probes inside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli } from '../../src/cli/run.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { readSnapshotFile } from '../../src/targets/read-snapshot.ts';
import { findTool } from '../../src/probes/exec.ts';
import { checkProbePrivileges } from '../../src/probes/privileges.ts';
import { need, tempDir } from '../helpers/fixtures.ts';

const privileged = () => checkProbePrivileges().ok && findTool('unshare') !== null && findTool('nft') !== null;

test('nodefit probe (text): matrix, iptables, binfmt, modprobe not applicable, agreement with the static matrix', async (t) => {
  if (!need(t, privileged(), 'root (CAP_SYS_ADMIN) with nft and unshare')) return;
  const io = memoryIo();
  assert.equal(await runCli(['probe'], io), 0);
  assert.match(io.out, /^ {2}ip {5}route {2}out$/m);
  assert.match(io.out, /^ {2}netdev filter ingress egress$/m);
  assert.match(io.out, /iptables legacy usable in a new netns: yes/);
  assert.match(io.out, /binfmt_misc registrations survive the last unmount: no/);
  assert.match(io.out, /modprobe --dry-run: unknown \(not applicable: the kernel is built without CONFIG_MODULES/);
  assert.match(io.out, /static nft matrix: agrees with the probe in every cell/);
});

test('nodefit probe --format json -o FILE: ProbeFacts on stdout and a valid snapshot carrying them', async (t) => {
  if (!need(t, privileged(), 'root (CAP_SYS_ADMIN) with nft and unshare')) return;
  const out = path.join(tempDir(t), 'snap.json');
  const io = memoryIo();
  assert.equal(await runCli(['probe', '--format', 'json', '-o', out, '-m', 'ip_tables'], io), 0);
  const j = JSON.parse(io.out) as { probes: { nftChains: { state: string; value: unknown[] }; modprobeDryRun: { state: string } }; staticComparison: unknown[] };
  assert.equal(j.probes.nftChains.state, 'known');
  assert.equal(j.probes.nftChains.value.length, 126);
  assert.deepEqual(j.staticComparison, []);
  const snap = readSnapshotFile(out);
  assert.equal(snap.facts.probes?.nftChains?.state, 'known');
  assert.equal(snap.facts.probes?.binfmtSurvivesUnmount?.state, 'known');
});

test('nodefit probe: an unknown format is a usage error', async () => {
  const io = memoryIo();
  assert.equal(await runCli(['probe', '--format', 'sarif'], io), 2);
  assert.equal(io.err, 'nodefit: unknown --format "sarif" for probe; choose text or json\n');
});
