import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { parseMountInfo, unescapeMountField, type MountInfoEntry } from '../../../src/facts/cgroups/parse-mountinfo.ts';
import { need, tempDir } from '../../helpers/fixtures.ts';
import { podMountLines } from '../../helpers/pod-mounts.ts';

/** Independent, deliberately naive reading: fields before " - " and after it. */
function naive(text: string): { mountPoint: string; fsType: string; superOptions: string }[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [left, right] = l.split(' - ');
      const lf = (left as string).split(' ');
      const rf = (right as string).split(' ');
      return { mountPoint: lf[4] as string, fsType: rf[0] as string, superOptions: rf[2] as string };
    });
}

for (const file of ['/proc/self/mountinfo', '/proc/1/mountinfo']) {
  test(`parses this machine's ${file} line for line`, () => {
    const text = fs.readFileSync(file, 'utf8');
    const r = parseMountInfo(text);
    assert.ok(r.ok, r.ok ? '' : r.reason);
    const expected = naive(text);
    assert.equal(r.entries.length, expected.length);
    r.entries.forEach((e, i) => {
      const x = expected[i]!;
      assert.equal(e.mountPoint, unescapeMountField(x.mountPoint));
      assert.equal(e.fsType, x.fsType);
      assert.equal(e.superOptions.join(','), x.superOptions);
    });
  });
}

test('octal escapes in mount points and sources are decoded (\\040 space, \\011 tab, \\012 newline, \\134 backslash)', () => {
  // hand-made: this machine has no mount point with a space in it
  const line = '100 27 0:50 / /mnt/my\\040disk\\011x\\012y\\134z rw,relatime shared:5 - tmpfs my\\040src rw,size=4k\n';
  const r = parseMountInfo(line);
  assert.ok(r.ok);
  const e = r.entries[0]!;
  assert.equal(e.mountPoint, '/mnt/my disk\tx\ny\\z');
  assert.equal(e.source, 'my src');
  assert.deepEqual(e.optionalFields, ['shared:5']);
  assert.deepEqual(e.superOptions, ['rw', 'size=4k']);
});

test("a network namespace bind-mounted by a CNI plugin (nsfs prints its root as net:[inode]) is a mount like any other", (t) => {
  const table = fs.readFileSync('/proc/1/mountinfo', 'utf8');
  const made = podMountLines(tempDir(t), 1);
  if (!need(t, made.ok, `mounts in a private mount namespace (unshare --mount, as root)${made.ok ? '' : `: ${made.reason}`}`) || !made.ok) return;
  const nsfs = made.lines.find((l) => l.includes(' - nsfs '));
  assert.ok(nsfs !== undefined, 'this kernel wrote an nsfs line');
  const r = parseMountInfo(`${table}${nsfs}\n`);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  const e = r.entries.at(-1) as MountInfoEntry;
  assert.equal(e.fsType, 'nsfs');
  assert.match(e.root, /^net:\[\d+\]$/);
  assert.match(e.mountPoint, /\/run\/netns\/cni-/);
});

test('malformed mountinfo is refused with the line named, never thrown', () => {
  for (const bad of ['garbage\n', '1 2 3:4 / /x rw\n', '1 2 0:1 xyz /x rw - ext4 /dev/x rw\n', '1 2 0:1 net:[x] /x rw - nsfs nsfs rw\n', '1 2 0:1 / /x rw - \n', 'a b 0:1 / /x rw - ext4 /dev/x rw\n', '']) {
    const r = parseMountInfo(bad);
    assert.equal(r.ok, false, bad);
  }
  const r = parseMountInfo('22 27 0:21 / /proc rw - proc proc rw\nnot a line\n');
  assert.ok(!r.ok && r.reason.startsWith('line 2'));
});

const segment = fc.stringMatching(/^[a-z0-9 \t\\_.-]{1,12}$/);
const escape = (s: string) => s.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
const entryArb: fc.Arbitrary<MountInfoEntry> = fc.record({
  id: fc.nat(100000),
  parentId: fc.nat(100000),
  device: fc.tuple(fc.nat(255), fc.nat(1000)).map(([a, b]) => `${a}:${b}`),
  root: fc.array(segment, { maxLength: 3 }).map((s) => '/' + s.join('/')),
  mountPoint: fc.array(segment, { maxLength: 3 }).map((s) => '/' + s.join('/')),
  mountOptions: fc.array(fc.stringMatching(/^[a-z=0-9]{1,8}$/), { minLength: 1, maxLength: 4 }),
  optionalFields: fc.array(fc.stringMatching(/^(shared|master):\d{1,3}$/), { maxLength: 2 }),
  fsType: fc.constantFrom('cgroup', 'cgroup2', 'ext4', 'binfmt_misc', 'fuse.sshfs'),
  source: fc.stringMatching(/^[a-z0-9/]{1,10}$/),
  superOptions: fc.array(fc.stringMatching(/^[a-z=0-9_]{1,8}$/), { minLength: 1, maxLength: 5 }),
});

test('round-trips any kernel-formatted mountinfo (property)', () => {
  fc.assert(
    fc.property(fc.array(entryArb, { minLength: 1, maxLength: 8 }), (entries) => {
      const text = entries
        .map((e) =>
          [e.id, e.parentId, e.device, escape(e.root), escape(e.mountPoint), e.mountOptions.join(','), ...e.optionalFields, '-', e.fsType, e.source, e.superOptions.join(',')].join(' '),
        )
        .join('\n');
      const r = parseMountInfo(text + '\n');
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.deepEqual(r.entries, entries.map((e) => ({ ...e })));
    }),
  );
});

test('never throws on arbitrary input (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (s) => {
      const r = parseMountInfo(s);
      assert.equal(typeof r.ok, 'boolean');
    }),
  );
});
