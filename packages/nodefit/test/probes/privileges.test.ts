// Without CAP_SYS_ADMIN the probes do not run and say so; the CapEff parser reads real /proc/self/status text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkProbePrivileges, parseCapEff } from '../../src/probes/privileges.ts';
import { runProbes } from '../../src/probes/run-probes.ts';

test('CapEff is read from /proc/self/status text', () => {
  assert.equal(parseCapEff('Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t000001fffeffffff\n'), 0x1fffeffffffn);
  assert.equal(parseCapEff('CapEff:\tzz\n'), null);
  assert.equal(parseCapEff(''), null);
  assert.equal(typeof parseCapEff(fs.readFileSync('/proc/self/status', 'utf8')), 'bigint');
});

test('CAP_SYS_ADMIN (bit 21) decides; a missing line is not taken as permission', () => {
  assert.deepEqual(checkProbePrivileges('CapEff:\t0000000000200000\n'), { ok: true });
  assert.deepEqual(checkProbePrivileges('CapEff:\t00000000001fffff\n'), { ok: false, reason: 'needs CAP_SYS_ADMIN' });
  assert.equal(checkProbePrivileges('Name: x\n').ok, false);
});

test('an unprivileged run reports every namespace probe as unknown (needs CAP_SYS_ADMIN) and runs nothing', () => {
  const p = runProbes({ statusText: 'CapEff:\t0000000000000000\n', configModules: 'n' });
  for (const f of [p.nftChains, p.iptablesLegacyUsable, p.iptablesNftUsable, p.binfmtSurvivesUnmount]) {
    assert.equal(f?.state, 'unknown');
    assert.equal(f?.state === 'unknown' ? f.reason : '', 'needs CAP_SYS_ADMIN');
  }
  assert.equal(p.modprobeDryRun?.state, 'unknown');
});
