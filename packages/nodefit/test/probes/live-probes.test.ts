// The probes on the machine the tests run on (kernel 6.18, CONFIG_MODULES unset): what they find and what they say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeBinfmtLifetime } from '../../src/probes/binfmt.ts';
import { findTool } from '../../src/probes/exec.ts';
import { probeIptables } from '../../src/probes/iptables.ts';
import { probeModprobe } from '../../src/probes/modprobe.ts';
import { probeNftChains } from '../../src/probes/nft-matrix.ts';
import { checkProbePrivileges } from '../../src/probes/privileges.ts';
import { need } from '../helpers/fixtures.ts';

const root = () => checkProbePrivileges().ok && findTool('unshare') !== null;

test('nft matrix probe: Submariner\'s route/postrouting is refused by the kernel itself, route/output is accepted', (t) => {
  if (!need(t, root() && findTool('nft') !== null, 'root (CAP_SYS_ADMIN) with nft and unshare')) return;
  // the probe's own 120 s limit is for users; a test asserts the matrix, not how fast a loaded CI machine gets there
  const m = probeNftChains(undefined, 600_000);
  assert.equal(m.state, 'known', m.state === 'unknown' ? m.reason : '');
  if (m.state !== 'known') return;
  assert.equal(m.value.length, 126);
  const cell = (f: string, ty: string, h: string) => m.value.find((c) => c.family === f && c.type === ty && c.hook === h)!;
  assert.deepEqual(cell('ip', 'route', 'postrouting'), { family: 'ip', type: 'route', hook: 'postrouting', accepted: false, error: 'Could not process rule: Operation not supported', origin: 'kernel' });
  assert.equal(cell('ip', 'route', 'output').accepted, true);
  assert.equal(cell('netdev', 'filter', 'ingress').accepted, true);
  assert.equal(cell('ip', 'filter', 'ingress').origin, 'nft');
});

test('iptables probe: both backends usable in a fresh network namespace on this kernel', (t) => {
  if (!need(t, root() && findTool('iptables-legacy') !== null && findTool('iptables-nft') !== null, 'root with iptables-legacy and iptables-nft')) return;
  const p = probeIptables();
  assert.equal(p.legacy.state === 'known' && p.legacy.value, true);
  assert.equal(p.nft.state === 'known' && p.nft.value, true);
  assert.deepEqual(p.details, {});
});

test('binfmt_misc probe: on 6.7+ a private instance drops its registrations at the last unmount', (t) => {
  const supported = fs.readFileSync('/proc/filesystems', 'utf8').includes('binfmt_misc');
  if (!need(t, root() && supported, 'root on a kernel with binfmt_misc')) return;
  const f = probeBinfmtLifetime();
  assert.equal(f.state, 'known');
  assert.equal(f.state === 'known' && f.value, false);
});

test('modprobe probe: without CONFIG_MODULES the answer is unknown with the reason, and nothing is run', () => {
  const f = probeModprobe(['ip_tables'], { configModules: 'n', modprobePath: '/nonexistent/modprobe' });
  assert.equal(f.state, 'unknown');
  assert.match(f.state === 'unknown' ? f.reason : '', /not applicable: the kernel is built without CONFIG_MODULES/);
  const g = probeModprobe(['ip_tables'], { configModules: 'y', procModules: '/nonexistent/modules' });
  assert.match(g.state === 'unknown' ? g.reason : '', /\/proc\/modules is absent/);
});

test('nft matrix probe: a matrix that runs out of time is unknown and says how far it got', (t) => {
  if (!need(t, root(), 'root (CAP_SYS_ADMIN) with unshare')) return;
  // hand-made stand-in for a wedged or starved nft: each load takes 0.4 s, so a 1.5 s limit stops it part-way
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-slow-nft-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const slow = path.join(dir, 'nft');
  fs.writeFileSync(slow, '#!/bin/sh\nsleep 0.4\n', { mode: 0o700 });
  const m = probeNftChains(slow, 1500);
  assert.equal(m.state, 'unknown');
  const got = /timed out after (\d+) of 126 cells$/.exec(m.state === 'unknown' ? m.reason : '');
  assert.ok(got !== null, m.state === 'unknown' ? m.reason : 'known');
  // on a starved machine even the first cell may not be done; never all of them
  assert.ok(Number(got[1]) < 126);
});
