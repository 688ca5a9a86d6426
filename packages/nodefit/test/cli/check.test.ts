// `nodefit check`, `explain` and `workloads` run in-process: output formats, --fail-on exit codes, -o, --kb, errors.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run.ts';
import type { Report } from '../../src/engine/report.ts';
import { need, tempDir } from '../helpers/fixtures.ts';
import { corpus, corpusAvailable, FIXTURES } from '../kb/support.ts';
import { BUILTIN_WORKLOADS } from '../../src/kb/builtin-workloads.ts';

async function cli(argv: string[], env: Record<string, string | undefined> = {}, isTTY = false) {
  const io = { ...memoryIo(env), isTTY };
  let out = '';
  let err = '';
  const code = await runCli(argv, { ...io, stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

test('check --format json on a corpus config follows the report contract', async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const r = await cli(['check', '--kernel-config', corpus('talos-6.18.45'), '-w', 'cilium,kube-proxy-iptables', '--format', 'json', '--fail-on', 'never']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out) as Report;
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.target.kind, 'kernel-config');
  assert.deepEqual(report.target.capabilities.iptablesLegacy!.value, 'unavailable');
  assert.deepEqual([...new Set(report.findings.map((f) => f.workload ?? '(host)'))].sort(), ['(host)', 'cilium', 'kube-proxy-iptables']);
  // legacy xtables are compiled out of Talos 6.18: cilium's ip_tables cannot load there and does not apply (its
  // iptables-wrapper uses nft), while ip6_tables, which an IPv6-enabled agent cannot start without, is a warning
  const cilium = (checkId: string, text: string) => report.findings.find((f) => f.workload === 'cilium' && f.checkId === checkId && f.message.includes(text));
  const ipTables = cilium('kernel-module', 'ip-tables:');
  assert.equal(ipTables?.outcome, 'not-applicable');
  assert.match(ipTables.message, /^ip-tables: only where the kernel has legacy iptables, and this one has none \(CONFIG_NETFILTER_XTABLES_LEGACY is not set/);
  assert.equal(cilium('kernel-module', 'ip6_tables')?.outcome, 'warn');
  assert.equal(cilium('iptables-backend-mismatch', 'iptables-wrapper')?.outcome, 'pass');
});

test('--fail-on decides exit 1 vs 0; errors fail at "error", warnings only at "warning"', async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const talos = corpus('talos-6.18.45');
  assert.equal((await cli(['check', '--kernel-config', talos, '-w', 'cilium', '-f', 'json'])).code, 1);
  assert.equal((await cli(['check', '--kernel-config', talos, '-w', 'cilium', '-f', 'json', '--fail-on', 'never'])).code, 0);
  // Bottlerocket 6.1.163 + antrea: only a warning (gzip modules loaded from the image; no image given)
  const br = corpus('bottlerocket-6.1.163');
  assert.equal((await cli(['check', '--kernel-config', br, '-w', 'antrea', '-f', 'json'])).code, 0);
  assert.equal((await cli(['check', '--kernel-config', br, '-w', 'antrea', '-f', 'json', '--fail-on', 'warning'])).code, 1);
});

test('usage and input errors exit 2 with one line on stderr', async (t) => {
  const bad = await cli(['check', '-w', 'nope', '--kernel-config', '/nonexistent']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^nodefit: unknown workload "nope"; known workloads: antrea, /);
  assert.equal(bad.err.trim().split('\n').length, 1);
  const failOn = await cli(['check', '--fail-on', 'sometimes', '--kernel-config', '/nonexistent']);
  assert.equal(failOn.code, 2);
  assert.match(failOn.err, /unknown --fail-on "sometimes"/);
  const fmt = await cli(['check', '--format', 'yaml']);
  assert.equal(fmt.code, 2);
  assert.match(fmt.err, /unknown --format "yaml"/);
  const kbDir = tempDir(t);
  fs.writeFileSync(path.join(kbDir, 'broken.yaml'), 'id: broken\ntitle: x\ndescription: y\nreferences: [nope]\nrequirements: []\n');
  const kb = await cli(['check', '--kb', kbDir, '--kernel-config', '/nonexistent']);
  assert.equal(kb.code, 2);
  assert.match(kb.err, /broken\.yaml:4:\d+: invalid workload profile at references\.0/);
  // hand-made: a minimal config, so the missing image is the only input problem
  const cfg = path.join(kbDir, 'tiny.config');
  fs.writeFileSync(cfg, 'CONFIG_MODULES=y\n');
  const img = await cli(['check', '--image', path.join(kbDir, 'no-such-image.tar'), '--kernel-config', cfg]);
  assert.equal(img.code, 2);
  assert.match(img.err, /no-such-image\.tar/);
});

test('--kb adds user profiles: the k0s v1.31.2 kube-router image on a kernel without legacy xtables', async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const r = await cli(['check', '--kb', FIXTURES, '-w', 'kube-router-k0s-1.31.2', '--kernel-config', corpus('talos-6.18.45'), '-f', 'json']);
  assert.equal(r.code, 1, r.err);
  const f = (JSON.parse(r.out) as Report).findings.find((x) => x.checkId === 'iptables-backend-mismatch')!;
  assert.equal(f.outcome, 'fail');
  assert.match(f.message, /no legacy backend/);
});

test('-o writes the report atomically; stdout stays empty', async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const dir = tempDir(t);
  const file = path.join(dir, 'report.json');
  const r = await cli(['check', '--kernel-config', corpus('debian12-6.1.159'), '-w', 'flannel', '-f', 'json', '-o', file]);
  assert.equal(r.out, '');
  assert.ok((JSON.parse(fs.readFileSync(file, 'utf8')) as Report).findings.some((f) => f.workload === 'flannel'));
  assert.deepEqual(fs.readdirSync(dir), ['report.json']);
});

test('colour only on a terminal and never with NO_COLOR', async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const args = ['check', '--kernel-config', corpus('debian12-6.1.159'), '-w', 'flannel', '--fail-on', 'never'];
  const esc = '\u001b[';
  assert.ok(!(await cli(args, {}, false)).out.includes(esc), 'no colour off a terminal');
  assert.ok(!(await cli(args, { NO_COLOR: '1' }, true)).out.includes(esc), 'no colour with NO_COLOR');
  const tty = await cli(args, {}, true);
  assert.equal(tty.code, 0, tty.err);
  assert.ok(tty.out.includes('flannel'));
});

test('npd format exits by the node-problem-detector protocol', async (t) => {
  if (!need(t, corpusAvailable(), 'the kernel-config corpus')) return;
  const problem = await cli(['check', '--kernel-config', corpus('talos-6.18.45'), '-w', 'cilium', '-f', 'npd', '--fail-on', 'never']);
  assert.equal(problem.code, 1);
  assert.equal(problem.out.trim().split('\n').length, 1);
  const ok = await cli(['check', '--kernel-config', corpus('debian12-6.1.159'), '-w', 'submariner', '-f', 'npd']);
  assert.equal(ok.code, 0, ok.out);
});

test('explain documents checks and workloads; unknown ids list the known ones', async () => {
  const c = await cli(['explain', 'binfmt-registration-lifetime']);
  assert.equal(c.code, 0);
  assert.match(c.out, /1c5976ef0f7a/);
  assert.match(c.out, /\[bottlerocket\]/);
  const w = await cli(['explain', 'cilium']);
  assert.match(w.out, /required {2}iptable-raw: module iptable_raw \(modprobe from the image\)/);
  const j = await cli(['explain', 'nft-chain-type-hook', '-f', 'json']);
  assert.equal((JSON.parse(j.out) as { id: string }).id, 'nft-chain-type-hook');
  const u = await cli(['explain', 'nope']);
  assert.equal(u.code, 2);
  assert.match(u.err, /unknown check or workload "nope"; checks: module-compression-support, /);
});

test('workloads lists every profile with requirement counts, as text and JSON', async () => {
  const t = await cli(['workloads']);
  assert.equal(t.code, 0);
  assert.match(t.out, /^ID +TITLE +REQUIRED +OPTIONAL +ORIGIN$/m);
  assert.match(t.out, /^qemu-binfmt +QEMU/m);
  // a guest kernel's profile is in no default check: its row says how to check one
  assert.match(t.out, /^kata-guest +Kata Containers guest kernel \(guest kernel: -w kata-guest --kernel-config F\)/m);
  const j = JSON.parse((await cli(['workloads', '-f', 'json', '--kb', FIXTURES])).out) as { id: string; requirements: number; origin: string }[];
  assert.equal(j.length, BUILTIN_WORKLOADS.length + 4, 'the built-in workloads and the four fixture profiles');
  assert.ok(j.find((w) => w.id === 'containerd')!.requirements > 40);
  assert.deepEqual(
    j.filter((w) => (w as { appliesTo?: string }).appliesTo === 'guest-kernel').map((w) => w.id),
    ['kata-guest'],
  );
  assert.ok(j.find((w) => w.id === 'kata-3.13-guest')!.origin.endsWith('kata-3.13-guest.yaml'));
});
