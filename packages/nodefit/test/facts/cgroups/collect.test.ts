import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { RootFs } from '../../../src/host/root-fs.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { collectCgroups } from '../../../src/facts/cgroups/collect.ts';
import { unknown, known } from '../../../src/facts/fact.ts';
import type { KernelFacts } from '../../../src/facts/kernel/schema.ts';
import { CgroupFacts } from '../../../src/facts/cgroups/schema.ts';
import { tempDir } from '../../helpers/fixtures.ts';

const noKernel: KernelFacts = {
  release: unknown([], 'test'),
  version: unknown([], 'test'),
  cmdline: unknown([], 'test'),
  config: unknown([], 'test'),
};
const withCmdline = (words: string[]): KernelFacts => ({ ...noKernel, cmdline: known(words, '/proc/cmdline') });

function grepCount(pattern: string, file: string): number {
  try {
    return Number(execFileSync('grep', ['-c', pattern, file], { encoding: 'utf8' }).trim());
  } catch {
    return 0; // grep exits 1 on no match
  }
}

test('a scan of this machine matches its own /proc/1/mountinfo and /proc/cgroups', () => {
  const facts = collectCgroups({ fs: new RootFs('/'), release: undefined, offline: false }, withCmdline(['cgroup_no_v1=memory']));
  CgroupFacts.parse(facts);
  assert.equal(facts.hierarchies.state, 'known');
  assert.equal(facts.hierarchies.state === 'known' && facts.hierarchies.source, '/proc/1/mountinfo');
  const hier = facts.hierarchies.state === 'known' ? facts.hierarchies.value : [];
  // ' - cgroup ' (with the space) matches v1 mounts only; this machine has no duplicate mounts of a hierarchy
  const v1Lines = grepCount(' - cgroup ', '/proc/1/mountinfo');
  const v2Lines = grepCount(' - cgroup2 ', '/proc/1/mountinfo');
  assert.equal(hier.filter((h) => h.version === 1).length, v1Lines);
  assert.equal(hier.filter((h) => h.version === 2).length, v2Lines);
  assert.ok(v1Lines > 0, 'this machine is cgroup v1');
  // v1 controllers plus systemd's extra cgroup2 at /sys/fs/cgroup/unified is systemd's "hybrid" layout
  assert.equal(facts.mode.state === 'known' && facts.mode.value, v2Lines > 0 ? 'hybrid' : 'v1');
  // every v1 controller with a hierarchy id in /proc/cgroups is on a mounted v1 hierarchy
  const proc = fs.readFileSync('/proc/cgroups', 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(facts.procCgroups.state === 'known' && facts.procCgroups.value.length, proc.length);
  const onV1 = new Set(hier.filter((h) => h.version === 1).flatMap((h) => h.controllers));
  for (const l of proc) {
    const [name, h] = l.split('\t');
    if (Number(h) > 0) assert.ok(onV1.has(name!), `${name} is on hierarchy ${h} but not among the mounted v1 hierarchies`);
  }
  if (v2Lines > 0) {
    const v2 = hier.find((h) => h.version === 2)!;
    const own = fs.readFileSync(path.join(v2.mountPoint, 'cgroup.controllers'), 'utf8').trim();
    assert.deepEqual(facts.v2Controllers.state === 'known' && facts.v2Controllers.value, own === '' ? [] : own.split(' '));
  }
  assert.deepEqual(facts.cmdline.state === 'known' && facts.cmdline.value.noV1, ['memory']);
});

test('a pure cgroup v2 host under --root: mode v2, root controllers and subtree_control read from the mount', (t) => {
  // hand-made: this machine is not cgroup v2, so a v2 host's files are laid out under a temp root
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'proc/1'), { recursive: true });
  fs.mkdirSync(path.join(root, 'sys/fs/cgroup'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'proc/1/mountinfo'),
    '25 30 0:23 / /sys rw - sysfs sysfs rw\n35 25 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n',
  );
  fs.writeFileSync(path.join(root, 'proc/cgroups'), '#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpuset\t0\t120\t1\nmemory\t0\t120\t1\n');
  fs.writeFileSync(path.join(root, 'sys/fs/cgroup/cgroup.controllers'), 'cpuset cpu io memory hugetlb pids rdma misc\n');
  fs.writeFileSync(path.join(root, 'sys/fs/cgroup/cgroup.subtree_control'), 'cpuset cpu io memory pids\n');
  const f = collectCgroups({ fs: new RootFs(root), release: undefined, offline: false }, noKernel);
  assert.equal(f.mode.state === 'known' && f.mode.value, 'v2');
  assert.equal(f.mode.state === 'known' && f.mode.source, path.join(root, 'proc/1/mountinfo'));
  assert.deepEqual(f.v2SubtreeControl.state === 'known' && f.v2SubtreeControl.value, ['cpuset', 'cpu', 'io', 'memory', 'pids']);
  assert.deepEqual(f.hierarchies.state === 'known' && f.hierarchies.value[0]?.controllers.length, 8);
  assert.equal(f.cmdline.state, 'unknown');
});

test('offline targets give unknown with the offline reason', () => {
  const f = collectCgroups({ fs: new MemoryFs('linux-image.deb'), release: '6.12.0', offline: true }, noKernel);
  for (const k of ['mode', 'hierarchies', 'procCgroups'] as const) {
    const v = f[k];
    assert.equal(v.state, 'unknown');
    assert.match(v.state === 'unknown' ? v.reason : '', /^offline target \(.*\): not a running system, so nodefit does not read its /);
  }
});

test('hostile input: malformed mountinfo, garbage /proc/cgroups and huge files give unknown with reasons, never a crash', () => {
  const m = new MemoryFs('hostile');
  m.addFile('/proc/1/mountinfo', Buffer.from('35 25 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n\u0000\u0001garbage\n'));
  m.addFile('/proc/self/mountinfo', Buffer.alloc(17 * 1024 * 1024, 'a'));
  m.addFile('/proc/cgroups', Buffer.from('#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t1\tone\t1\n'));
  const f = collectCgroups({ fs: m, release: undefined, offline: false }, noKernel);
  assert.equal(f.mode.state, 'unknown');
  const reason = f.mode.state === 'unknown' ? f.mode.reason : '';
  assert.match(reason, /line 2 is not a mountinfo line/);
  assert.match(reason, /larger than|more than/);
  assert.equal(f.procCgroups.state, 'unknown');
  assert.match(f.procCgroups.state === 'unknown' ? f.procCgroups.reason : '', /line 2/);
  CgroupFacts.parse(f);
});

test('a v2 root cgroup.controllers that is not a list of names is unknown, not trusted', () => {
  const m = new MemoryFs('hostile');
  m.addFile('/proc/1/mountinfo', Buffer.from('35 25 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n'));
  m.addFile('/sys/fs/cgroup/cgroup.controllers', Buffer.from('cpu; rm -rf /\n'));
  const f = collectCgroups({ fs: m, release: undefined, offline: false }, noKernel);
  assert.equal(f.v2Controllers.state, 'unknown');
  assert.equal(f.v2SubtreeControl.state, 'unknown');
  assert.equal(f.mode.state === 'known' && f.mode.value, 'v2');
});

test("without pid 1's mount table (no hostPID, or not permitted) our own is used, and the source says so", () => {
  const m = new MemoryFs('container');
  m.addFile('/proc/self/mountinfo', Buffer.from('35 25 0:30 / /sys/fs/cgroup ro,nosuid - cgroup2 cgroup2 rw\n'));
  m.addFile('/sys/fs/cgroup/cgroup.controllers', Buffer.from('cpu memory pids\n'));
  const f = collectCgroups({ fs: m, release: undefined, offline: false }, noKernel);
  assert.deepEqual(f.mode, known('v2', '/proc/self/mountinfo'));
  assert.deepEqual(f.v2Controllers, known(['cpu', 'memory', 'pids'], '/sys/fs/cgroup/cgroup.controllers'));
  assert.equal(f.v2SubtreeControl.state, 'unknown');
});
