// TracingFs and retrace, byte for byte (no projections): what the run memo (src/cli/run-memo.ts) rests on. A host that
// answers every call of a traced collection the same way must give the same facts; one that answers anything
// differently must be noticed.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { retrace, TracingFs } from '../../src/host/fs-trace.ts';
import { MemoryFs } from '../../src/host/memory-fs.ts';
import { RootFs } from '../../src/host/root-fs.ts';
import { collectFacts } from '../../src/facts/collect.ts';
import { fixtureManifest, need, treeCopy } from '../helpers/fixtures.ts';
import { configText, directoryCopy, hostFiles, memoryCopy, type HostCopy } from '../helpers/host-copy.ts';

const osRelease = hostFiles.get('/etc/os-release') ?? Buffer.from('ID=x\n');

/** Changes a host can go through between two checks: some change the facts, some leave every answer as it was. */
const CHANGES: ReadonlyArray<{ readonly name: string; readonly apply: (h: HostCopy) => void }> = [
  { name: 'modprobe.d disables nf_tables', apply: (h) => h.write('/etc/modprobe.d/deny.conf', Buffer.from('install nf_tables /bin/true\n')) },
  { name: 'modprobe.d gains a comment-only file', apply: (h) => h.write('/etc/modprobe.d/note.conf', Buffer.from('# nothing\n')) },
  { name: 'os-release removed', apply: (h) => h.remove('/etc/os-release') },
  { name: 'os-release rewritten with the same bytes', apply: (h) => h.write('/etc/os-release', osRelease) },
  {
    name: 'os-release becomes a link to an identical file',
    apply: (h) => {
      h.write('/usr/lib/os-release', osRelease);
      h.symlink('/etc/os-release', '../usr/lib/os-release');
    },
  },
  { name: 'nf_tables is loaded', apply: (h) => h.write('/proc/modules', Buffer.from('nf_tables 303104 0 - Live 0x0000000000000000\n')) },
  { name: 'in-kernel module decompression appears', apply: (h) => h.write('/sys/module/compression', Buffer.from('zstd\n')) },
  { name: 'a new boot without CONFIG_VXLAN', apply: (h) => h.write('/proc/config.gz', zlib.gzipSync(configText.replace(/^CONFIG_VXLAN=.*$/m, '# CONFIG_VXLAN is not set'))) },
  { name: 'another kernel release', apply: (h) => h.write('/proc/sys/kernel/osrelease', Buffer.from('6.1.0-99-amd64\n')) },
  { name: 'a qemu-aarch64 binfmt.d entry', apply: (h) => h.write('/usr/lib/binfmt.d/qemu-aarch64.conf', Buffer.from(':qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/libexec/qemu-binfmt/aarch64-binfmt-P:POCF\n')) },
  { name: 'cgroup mounts change', apply: (h) => h.write('/proc/1/mountinfo', Buffer.from('25 1 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw\n')) },
  { name: 'a file no collector reads is written', apply: (h) => h.write('/var/lib/unrelated/state', Buffer.from('1\n')) },
  { name: 'the hostname file is not read from /etc', apply: (h) => h.write('/etc/hostname', Buffer.from('renamed\n')) },
  { name: 'an unread directory gains a module-like name', apply: (h) => h.write('/opt/nf_tables.ko.zst', Buffer.from('x')) },
];

function traced(h: HostCopy): { facts: unknown; calls: TracingFs['calls'] } {
  const t = new TracingFs(h.fs);
  return { facts: collectFacts(t), calls: t.calls };
}

const KINDS: ReadonlyArray<readonly [string, (t: TestContext) => HostCopy]> = [
  ['in memory', () => memoryCopy()],
  ['as a --root directory', directoryCopy],
];

for (const [kind, copy] of KINDS) {
  test(`${kind}: reading through a TracingFs gives the same facts as reading the host directly`, (t) => {
    if (!need(t, hostFiles.has('/proc/config.gz'), "this machine's /proc/config.gz")) return;
    assert.deepEqual(traced(copy(t)).facts, collectFacts(copy(t).fs));
  });

  test(`${kind}: an unchanged host answers every traced call as before; each change that alters facts is noticed`, (t) => {
    if (!need(t, hostFiles.has('/proc/config.gz'), "this machine's /proc/config.gz")) return;
    const before = traced(copy(t));
    assert.ok(before.calls.length > 20, `only ${before.calls.length} calls traced`);
    assert.equal(retrace(copy(t).fs, before.calls).same, true);
    const seen = { same: 0, changed: 0 };
    for (const change of CHANGES) {
      const after = copy(t);
      change.apply(after);
      const same = retrace(after.fs, before.calls).same;
      const factsEqual = JSON.stringify(collectFacts(after.fs)) === JSON.stringify(before.facts);
      // the premise, both ways round: same answers give the same facts, and different facts show in some answer
      if (same) assert.ok(factsEqual, `${change.name}: every traced call answered as before, yet the facts changed`);
      seen[same ? 'same' : 'changed']++;
    }
    assert.ok(seen.same >= 4 && seen.changed >= 8, `both kinds of change are exercised: ${JSON.stringify(seen)}`);
    for (const [name, same] of [['VXLAN', false], ['nf_tables is loaded', false], ['same bytes', true], ['no collector reads', true]] as const) {
      const after = copy(t);
      (CHANGES.find((c) => c.name.includes(name)) as (typeof CHANGES)[number]).apply(after);
      assert.equal(retrace(after.fs, before.calls).same, same, name);
    }
  });

  test(`${kind}, property: any sequence of host changes that answers the traced calls as before gives the facts of before`, (t) => {
    if (!need(t, hostFiles.has('/proc/config.gz'), "this machine's /proc/config.gz")) return;
    const before = traced(copy(t));
    const beforeJson = JSON.stringify(before.facts);
    let replayable = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHANGES), { minLength: 0, maxLength: 3 }), (changes) => {
        const after = copy(t);
        for (const c of changes) c.apply(after);
        if (retrace(after.fs, before.calls).same) {
          replayable++;
          assert.equal(JSON.stringify(collectFacts(after.fs)), beforeJson, changes.map((c) => c.name).join(', '));
        }
      }),
      { numRuns: kind === 'in memory' ? 80 : 25 },
    );
    assert.ok(replayable >= 3, `only ${replayable} generated hosts answered as before: the property hardly ran`);
  });
}

test('the fast module tree walk of a real Debian kernel tree is traced, and a removed module file is noticed', (t) => {
  const tree = fixtureManifest()?.trees['kernel-6.12'];
  if (!need(t, tree !== undefined && fs.existsSync(tree.root), 'the Debian 6.12 kernel tree (npm run fixtures)') || tree === undefined) return;
  const root = treeCopy(t, tree.root);
  const t1 = new TracingFs(new RootFs(root));
  const facts = collectFacts(t1, { offline: true });
  assert.deepEqual(facts, collectFacts(new RootFs(root), { offline: true }));
  const walk = t1.calls.find((c) => c.method === 'walkModuleDir');
  assert.ok(walk !== undefined && walk.result.kind === 'value' && walk.result.json.includes('/nf_tables.ko'), 'the module tree listing is one traced answer');
  assert.equal(retrace(new RootFs(root), t1.calls).same, true);
  const moduleDir = path.join(root, 'lib/modules', tree.release);
  const nfTables = fs.readdirSync(path.join(moduleDir, 'kernel/net/netfilter')).find((n) => n.startsWith('nf_tables.ko'));
  assert.ok(nfTables !== undefined);
  fs.rmSync(path.join(moduleDir, 'kernel/net/netfilter', nfTables));
  assert.equal(retrace(new RootFs(root), t1.calls).same, false);
});

test('a failure other than a HostFsError marks the trace unusable instead of recording it', () => {
  const m = new MemoryFs('broken');
  const broken = Object.assign(Object.create(m) as MemoryFs, {
    readFile(): Buffer {
      throw new TypeError('not an answer');
    },
  });
  const t = new TracingFs(broken);
  assert.throws(() => t.readFile('/proc/cgroups'), TypeError);
  assert.equal(t.unusable, true);
  assert.equal(t.calls.length, 0);
});
