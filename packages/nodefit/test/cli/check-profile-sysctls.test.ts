// A --kb profile's sysctl requirement on a key nodefit does not read by default: read from this machine's real /proc/sys
// when the target is the live host or a --root, and unknown (never "does not exist") where it was not read.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run.ts';
import type { Report } from '../../src/engine/report.ts';
import { canonicalSysctlKey, isSysctlKey, NETFILTER_SYSCTLS, sysctlPath } from '../../src/facts/netfilter/sysctl-key.ts';
import { need, tempDir } from '../helpers/fixtures.ts';
import { writeProfileDir } from '../helpers/profile-dir.ts';

async function check(argv: string[]): Promise<{ code: number; report: Report; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['check', '--format', 'json', '--fail-on', 'never', ...argv], { ...memoryIo(), stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  assert.equal(code, 0, err);
  return { code, report: JSON.parse(out) as Report, err };
}

let profiles = 0;

/** A hand-made --kb profile needing `key` = `value`. */
function profileDir(dir: string, key: string, value: string): string {
  return writeProfileDir(path.join(dir, `kb-${++profiles}`), 'mine', `{ id: s, kind: sysctl, key: ${JSON.stringify(key)}, value: ${JSON.stringify(value)}, level: required, source: https://example.com/b }`);
}

function finding(report: Report): Report['findings'][number] {
  const f = report.findings.find((x) => x.workload === 'mine' && x.checkId === 'sysctl');
  assert.ok(f !== undefined);
  return f;
}

const PID_MAX = '/proc/sys/kernel/pid_max';

test('the live host: a profile key outside the default list is read from /proc/sys, dotted or slashed', async (t) => {
  if (!need(t, fs.existsSync(PID_MAX), PID_MAX)) return;
  assert.ok(!(NETFILTER_SYSCTLS as readonly string[]).includes('kernel.pid_max'));
  const value = fs.readFileSync(PID_MAX, 'utf8').trim();
  const dir = tempDir(t);
  for (const key of ['kernel.pid_max', 'kernel/pid_max']) {
    const ok = finding((await check(['--kb', profileDir(dir, key, value), '-w', 'mine'])).report);
    assert.equal(ok.outcome, 'pass', ok.message);
    assert.equal(ok.message, `${key} = ${value}`);
    const other = finding((await check(['--kb', profileDir(dir, key, `${value}1`), '-w', 'mine'])).report);
    assert.equal(other.outcome, 'fail');
    assert.equal(other.message.startsWith(`${key} = ${value}, needs ${value}1`), true, other.message);
  }
});

test('a key the live host does not have fails; one a snapshot never recorded is unknown; either spelling finds a key', async (t) => {
  if (!need(t, fs.existsSync(PID_MAX), PID_MAX)) return;
  const dir = tempDir(t);
  const missing = finding((await check(['--kb', profileDir(dir, 'net.ipv4.no_such_key', '1'), '-w', 'mine'])).report);
  assert.equal(missing.outcome, 'fail');
  assert.match(missing.message, /^net\.ipv4\.no_such_key does not exist/);
  // a snapshot from `nodefit scan` holds the default keys only
  let snap = '';
  assert.equal(await runCli(['scan'], { ...memoryIo(), stdout: (s) => void (snap += s), stderr: () => undefined }), 0);
  const file = path.join(dir, 'snap.json');
  fs.writeFileSync(file, snap);
  const fromSnapshot = finding((await check(['--snapshot', file, '--kb', profileDir(dir, 'kernel.pid_max', '1'), '-w', 'mine'])).report);
  assert.equal(fromSnapshot.outcome, 'unknown');
  assert.match(fromSnapshot.message, /^kernel\.pid_max was not read from .*a snapshot keeps none/);
  // the path spelling of a key the snapshot does hold
  const forward = fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
  const slashed = finding((await check(['--snapshot', file, '--kb', profileDir(dir, 'net/ipv4/ip_forward', forward), '-w', 'mine'])).report);
  assert.equal(slashed.outcome, 'pass', slashed.message);
});

test('property: every key a profile may name maps to a file under /proc/sys', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom('net', 'ipv4', 'eth0', '.', '/', '..', '-x', 'A_1', 'conf', ''), { minLength: 1, maxLength: 8 }), (parts) => {
      const key = parts.join('');
      if (!isSysctlKey(key)) return;
      const p = sysctlPath(key);
      assert.equal(path.posix.normalize(p), p, key);
      assert.ok(p.startsWith('/proc/sys/') && !p.includes('/../') && !p.endsWith('/..'), key);
    }),
  );
  assert.equal(sysctlPath('net.ipv4.ip_forward'), '/proc/sys/net/ipv4/ip_forward');
  // sysctl.d(5): the first separator decides the form; a VLAN interface's dot is a slash in the dotted form
  for (const k of ['net/ipv4/conf/eth0.100/rp_filter', 'net.ipv4.conf.eth0/100.rp_filter']) {
    assert.equal(sysctlPath(k), '/proc/sys/net/ipv4/conf/eth0.100/rp_filter', k);
    assert.equal(canonicalSysctlKey(k), 'net.ipv4.conf.eth0/100.rp_filter', k);
  }
  assert.equal(canonicalSysctlKey('net/ipv4/ip_forward'), 'net.ipv4.ip_forward');
  assert.equal(isSysctlKey('-net.ipv4.ip_forward'), false);
});
