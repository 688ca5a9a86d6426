import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { parseProcCgroups } from '../../../src/facts/cgroups/parse-proc-cgroups.ts';
import { parseCgroupCmdline, kstrtobool } from '../../../src/facts/cgroups/parse-cmdline-cgroup.ts';
import { cgroupMode, cgroupMounts, parseControllerList, primaryV2 } from '../../../src/facts/cgroups/cgroup-hierarchies.ts';
import type { MountInfoEntry } from '../../../src/facts/cgroups/parse-mountinfo.ts';

test("parses this machine's /proc/cgroups exactly as an independent split does", () => {
  const text = fs.readFileSync('/proc/cgroups', 'utf8');
  const r = parseProcCgroups(text);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  const expected = text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .map(([name, h, n, e]) => ({ name, hierarchy: Number(h), numCgroups: Number(n), enabled: e === '1' }));
  assert.deepEqual(r.lines, expected);
  // this machine: cgroup v1 controllers, memory among them
  assert.ok(r.lines.some((l) => l.name === 'memory' && l.hierarchy > 0));
});

test('/proc/cgroups with garbage is refused with the line named', () => {
  for (const bad of ['cpu\t1\t1\n', 'cpu\tx\t1\t1\n', 'cpu\t1\t1\t2\n', '#subsys_name\thierarchy\tnum_cgroups\tenabled\n', 'CPU ; rm\t1\t1\t1\n']) {
    assert.equal(parseProcCgroups(bad).ok, false, bad);
  }
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void parseProcCgroups(s)));
});

test('/proc/cgroups round-trips (property)', () => {
  const line = fc.record({
    name: fc.stringMatching(/^[a-z_]{1,12}$/),
    hierarchy: fc.nat(64),
    numCgroups: fc.nat(100000),
    enabled: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 15 }), (lines) => {
      const text = '#subsys_name\thierarchy\tnum_cgroups\tenabled\n' + lines.map((l) => `${l.name}\t${l.hierarchy}\t${l.numCgroups}\t${l.enabled ? 1 : 0}\n`).join('');
      const r = parseProcCgroups(text);
      assert.ok(r.ok);
      assert.deepEqual(r.lines, lines.map((l) => ({ ...l })));
    }),
  );
});

test('cgroup boot switches: lists accumulate, systemd booleans follow systemd, kernel ones stop at "--"', () => {
  const c = parseCgroupCmdline([
    'ro',
    'cgroup_no_v1=memory,cpuset',
    'cgroup-no-v1=net_cls',
    'cgroup_enable=memory',
    'swapaccount=1',
    'systemd.unified_cgroup_hierarchy=0',
    'systemd.legacy_systemd_cgroup_controller',
    'cgroup_v1_proc=1',
    'cgroup_disable=pressure',
    '--',
    'cgroup_disable=cpu',
    'systemd.unified_cgroup_hierarchy=yes',
  ]);
  assert.deepEqual(c.noV1, ['memory', 'cpuset', 'net_cls']);
  assert.deepEqual(c.enable, ['memory']);
  assert.deepEqual(c.disable, ['pressure']);
  assert.equal(c.systemdUnified, true);
  assert.equal(c.systemdLegacyController, true);
  assert.equal(c.v1Proc, true);
  assert.deepEqual(parseCgroupCmdline(['systemd.unified_cgroup_hierarchy=maybe']), { noV1: [], enable: [], disable: [] });
  assert.equal(parseCgroupCmdline(['cgroup_no_v1=all']).noV1[0], 'all');
  assert.equal(kstrtobool('off'), false);
  assert.equal(kstrtobool('on'), true);
  assert.equal(kstrtobool('x'), undefined);
});

test('cmdline parsing never throws and only reports what was given (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('cgroup_no_v1=', 'systemd.unified_cgroup_hierarchy', '--', 'cgroup_v1_proc=')), { maxLength: 20 }), (words) => {
      const c = parseCgroupCmdline(words);
      for (const n of c.noV1) assert.ok(words.some((w) => w.includes(n)));
      if (!words.some((w) => w.startsWith('systemd.unified_cgroup_hierarchy'))) assert.equal(c.systemdUnified, undefined);
    }),
  );
});

function mount(fsType: string, mountPoint: string, device: string, superOptions: string[], root = '/'): MountInfoEntry {
  return { id: 1, parentId: 0, device, root, mountPoint, mountOptions: ['rw'], optionalFields: [], fsType, source: fsType, superOptions };
}

test('hierarchies: generic options are not controllers, named hierarchies kept, bind mounts counted once', () => {
  const { v1, v2 } = cgroupMounts([
    mount('cgroup', '/sys/fs/cgroup/cpu,cpuacct', '0:30', ['rw', 'cpu', 'cpuacct']),
    mount('cgroup', '/sys/fs/cgroup/systemd', '0:31', ['rw', 'xattr', 'release_agent=/lib/systemd/systemd-cgroups-agent', 'name=systemd']),
    mount('cgroup', '/var/lib/kubelet/pods/x/cpu', '0:30', ['rw', 'cpu', 'cpuacct'], '/kubepods'),
    mount('cgroup', '/sys/fs/cgroup/cpuset', '0:32', ['rw', 'noprefix', 'cpuset_v2_mode', 'clone_children', 'cpuset']),
    mount('cgroup2', '/sys/fs/cgroup/unified', '0:33', ['rw', 'nsdelegate']),
  ]);
  assert.deepEqual(
    v1.map((h) => [h.mountPoint, h.controllers]),
    [
      ['/sys/fs/cgroup/cpu,cpuacct', ['cpu', 'cpuacct']],
      ['/sys/fs/cgroup/systemd', ['name=systemd']],
      ['/sys/fs/cgroup/cpuset', ['cpuset']],
    ],
  );
  assert.equal(primaryV2(v2)?.mountPoint, '/sys/fs/cgroup/unified');
  assert.equal(cgroupMode(v1.length, v2.length), 'hybrid');
  assert.equal(cgroupMode(0, 1), 'v2');
  assert.equal(cgroupMode(3, 0), 'v1');
  assert.equal(cgroupMode(0, 0), 'none');
  assert.deepEqual(parseControllerList('cpuset cpu io memory hugetlb pids rdma misc\n'), ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc']);
  assert.deepEqual(parseControllerList('\n'), []);
  assert.equal(parseControllerList('cpu <script>'), undefined);
  fc.assert(fc.property(fc.string({ maxLength: 100 }), (s) => void parseControllerList(s)));
});
