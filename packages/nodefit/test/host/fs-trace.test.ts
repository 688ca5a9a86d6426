// TracingFs and answersAsTraced: what the run memo (src/cli/run-memo.ts) rests on. A host that answers every call of
// a traced collection the same way must give the same facts; one that answers anything differently must be noticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { answersAsTraced, TracingFs } from '../../src/host/fs-trace.ts';
import { MemoryFs } from '../../src/host/memory-fs.ts';
import { RootFs } from '../../src/host/root-fs.ts';
import { collectFacts } from '../../src/facts/collect.ts';
import { fixtureManifest, need, treeCopy } from '../helpers/fixtures.ts';

/** This machine's own files (its real kernel config, cgroups, mounts, os-release), copied into memory. */
const HOST_FILES = [
  '/proc/config.gz',
  '/proc/sys/kernel/osrelease',
  '/proc/sys/kernel/arch',
  '/proc/cmdline',
  '/proc/version',
  '/proc/cgroups',
  '/proc/1/mountinfo',
  '/proc/1/stat',
  '/proc/filesystems',
  '/etc/os-release',
];

const hostFiles = new Map<string, Buffer>();
for (const f of HOST_FILES) {
  try {
    hostFiles.set(f, fs.readFileSync(f));
  } catch {
    // a file this machine lacks is simply absent from the copy, as on such a host
  }
}
const configText = hostFiles.has('/proc/config.gz') ? zlib.gunzipSync(hostFiles.get('/proc/config.gz') as Buffer).toString('utf8') : '';

function hostCopy(): MemoryFs {
  const m = new MemoryFs('copy of this host');
  for (const [p, data] of hostFiles) m.addFile(p, data);
  m.addDir('/etc/modprobe.d');
  m.addDir('/usr/lib/binfmt.d');
  return m;
}

/** Changes a host can go through between two checks; some change the facts, some only look as if they might. */
const CHANGES: ReadonlyArray<{ readonly name: string; readonly apply: (m: MemoryFs) => void }> = [
  { name: 'modprobe.d disables nf_tables', apply: (m) => m.addFile('/etc/modprobe.d/deny.conf', Buffer.from('install nf_tables /bin/true\n')) },
  { name: 'modprobe.d gains a comment-only file', apply: (m) => m.addFile('/etc/modprobe.d/note.conf', Buffer.from('# nothing\n')) },
  { name: 'os-release removed', apply: (m) => m.remove('/etc/os-release') },
  { name: 'os-release rewritten with the same bytes', apply: (m) => m.addFile('/etc/os-release', hostFiles.get('/etc/os-release') ?? Buffer.from('ID=x\n')) },
  {
    name: 'os-release becomes a link to an identical file',
    apply: (m) => {
      m.addFile('/usr/lib/os-release', hostFiles.get('/etc/os-release') ?? Buffer.from('ID=x\n'));
      m.addSymlink('/etc/os-release', '../usr/lib/os-release');
    },
  },
  { name: 'nf_tables is loaded', apply: (m) => m.addFile('/proc/modules', Buffer.from('nf_tables 303104 0 - Live 0x0000000000000000\n')) },
  { name: 'in-kernel module decompression appears', apply: (m) => m.addFile('/sys/module/compression', Buffer.from('zstd\n')) },
  { name: 'a new boot without CONFIG_VXLAN', apply: (m) => m.addFile('/proc/config.gz', zlib.gzipSync(configText.replace(/^CONFIG_VXLAN=.*$/m, '# CONFIG_VXLAN is not set'))) },
  { name: 'another kernel release', apply: (m) => m.addFile('/proc/sys/kernel/osrelease', Buffer.from('6.1.0-99-amd64\n')) },
  { name: 'a qemu-aarch64 binfmt.d entry', apply: (m) => m.addFile('/usr/lib/binfmt.d/qemu-aarch64.conf', Buffer.from(':qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/libexec/qemu-binfmt/aarch64-binfmt-P:POCF\n')) },
  { name: 'cgroup mounts change', apply: (m) => m.addFile('/proc/1/mountinfo', Buffer.from('25 1 0:23 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw\n')) },
];

function traced(m: MemoryFs): { facts: unknown; calls: TracingFs['calls'] } {
  const t = new TracingFs(m);
  return { facts: collectFacts(t), calls: t.calls };
}

test('reading through a TracingFs gives the same facts as reading the host directly', (t) => {
  if (!need(t, hostFiles.has('/proc/config.gz'), "this machine's /proc/config.gz")) return;
  assert.deepEqual(traced(hostCopy()).facts, collectFacts(hostCopy()));
});

test('an unchanged host answers every traced call as before; each change that alters facts is noticed', (t) => {
  if (!need(t, hostFiles.has('/proc/config.gz'), "this machine's /proc/config.gz")) return;
  const before = traced(hostCopy());
  assert.ok(before.calls.length > 20, `only ${before.calls.length} calls traced`);
  assert.equal(answersAsTraced(hostCopy(), before.calls), true);
  for (const change of CHANGES) {
    const after = hostCopy();
    change.apply(after);
    const same = answersAsTraced(after, before.calls);
    const factsEqual = JSON.stringify(collectFacts(after)) === JSON.stringify(before.facts);
    // never "same answers" with different facts; and a change that alters the facts is always seen
    if (!factsEqual) assert.equal(same, false, `${change.name}: the facts changed but every traced call answered as before`);
  }
  // the cases above do include both kinds: changes the memo must see, and ones it may keep
  const vxlan = hostCopy();
  (CHANGES.find((c) => c.name.includes('VXLAN')) as (typeof CHANGES)[number]).apply(vxlan);
  assert.equal(answersAsTraced(vxlan, before.calls), false);
  const same = hostCopy();
  (CHANGES.find((c) => c.name.includes('same bytes')) as (typeof CHANGES)[number]).apply(same);
  assert.equal(answersAsTraced(same, before.calls), true);
});

test('property: any sequence of host changes that answers the traced calls as before gives the facts of before', (t) => {
  if (!need(t, hostFiles.has('/proc/config.gz'), "this machine's /proc/config.gz")) return;
  const before = traced(hostCopy());
  const beforeJson = JSON.stringify(before.facts);
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...CHANGES), { minLength: 0, maxLength: 3 }), (changes) => {
      const after = hostCopy();
      for (const c of changes) c.apply(after);
      if (answersAsTraced(after, before.calls)) assert.equal(JSON.stringify(collectFacts(after)), beforeJson, changes.map((c) => c.name).join(', '));
    }),
    { numRuns: 60 },
  );
});

test('the fast module tree walk of a real Debian kernel tree is traced, and a removed module file is noticed', (t) => {
  const tree = fixtureManifest()?.trees['kernel-6.12'];
  if (!need(t, tree !== undefined && fs.existsSync(tree.root), 'the Debian 6.12 kernel tree (npm run fixtures)') || tree === undefined) return;
  const root = treeCopy(t, tree.root);
  const t1 = new TracingFs(new RootFs(root));
  const facts = collectFacts(t1, { offline: true });
  assert.deepEqual(facts, collectFacts(new RootFs(root), { offline: true }));
  const walk = t1.calls.find((c) => c.method === 'walkModuleDir');
  assert.ok(walk !== undefined && walk.result.kind === 'value' && walk.result.json.includes('/nf_tables.ko'), 'the module tree listing is one traced answer');
  assert.equal(answersAsTraced(new RootFs(root), t1.calls), true);
  const moduleDir = path.join(root, 'lib/modules', tree.release);
  const nfTables = fs.readdirSync(path.join(moduleDir, 'kernel/net/netfilter')).find((n) => n.startsWith('nf_tables.ko'));
  assert.ok(nfTables !== undefined);
  fs.rmSync(path.join(moduleDir, 'kernel/net/netfilter', nfTables));
  assert.equal(answersAsTraced(new RootFs(root), t1.calls), false);
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
