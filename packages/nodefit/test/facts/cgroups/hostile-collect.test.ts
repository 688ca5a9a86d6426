import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { collectCgroups } from '../../../src/facts/cgroups/collect.ts';
import { collectBinfmt } from '../../../src/facts/binfmt/collect.ts';
import { collectNetfilter } from '../../../src/facts/netfilter/collect.ts';
import { CgroupFacts } from '../../../src/facts/cgroups/schema.ts';
import { BinfmtFacts } from '../../../src/facts/binfmt/schema.ts';
import { NetfilterFacts } from '../../../src/facts/netfilter/schema.ts';
import { known, unknown } from '../../../src/facts/fact.ts';

// Every file the three collectors read, filled with arbitrary bytes or links: the result is always schema-valid facts.
const PATHS = [
  '/proc/1/mountinfo',
  '/proc/self/mountinfo',
  '/proc/cgroups',
  '/proc/filesystems',
  '/proc/modules',
  '/sys/fs/cgroup/cgroup.controllers',
  '/sys/fs/cgroup/cgroup.subtree_control',
  '/proc/sys/fs/binfmt_misc/status',
  '/proc/sys/fs/binfmt_misc/qemu-aarch64',
  '/etc/binfmt.d/a.conf',
  '/etc/fstab',
  '/proc/1/net/ip_tables_names',
  '/proc/sys/net/ipv4/ip_forward',
  '/usr/sbin/iptables',
];
const MOUNT_LINES = [
  '35 25 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n',
  '36 25 0:31 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n',
  '50 22 0:45 / /proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw\n',
];

test('collectors never throw and always return schema-valid facts, whatever the files hold (property)', () => {
  const content = fc.oneof(
    fc.uint8Array({ maxLength: 200 }).map((a) => ({ kind: 'file' as const, data: Buffer.from(a) })),
    fc.array(fc.constantFrom(...MOUNT_LINES), { maxLength: 3 }).map((l) => ({ kind: 'file' as const, data: Buffer.from(l.join('')) })),
    fc.constantFrom(...PATHS, '/dev/null', 'x').map((target) => ({ kind: 'link' as const, target })),
    fc.constant({ kind: 'absent' as const }),
  );
  fc.assert(
    fc.property(fc.array(content, { minLength: PATHS.length, maxLength: PATHS.length }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 5 }), (files, cmdline) => {
      const m = new MemoryFs('random');
      files.forEach((f, i) => {
        const p = PATHS[i]!;
        if (f.kind === 'file') m.addFile(p, f.data);
        else if (f.kind === 'link') m.addSymlink(p, f.target);
      });
      const ctx = { fs: m, release: '6.12.0', offline: false };
      const kernel = { release: unknown([], 't'), version: unknown([], 't'), cmdline: known(cmdline, '/proc/cmdline'), config: unknown([], 't') };
      CgroupFacts.parse(collectCgroups(ctx, kernel));
      BinfmtFacts.parse(collectBinfmt(ctx));
      NetfilterFacts.parse(collectNetfilter(ctx, kernel));
      assert.ok(true);
    }),
    { numRuns: 300 },
  );
});
