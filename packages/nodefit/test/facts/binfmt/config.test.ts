import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { collectBinfmt } from '../../../src/facts/binfmt/collect.ts';
import { BinfmtFacts } from '../../../src/facts/binfmt/schema.ts';
import { effectiveBinfmtDFiles, parseBinfmtD, registerName } from '../../../src/facts/binfmt/parse-binfmt-d.ts';
import { parseBinfmtEntry } from '../../../src/facts/binfmt/parse-binfmt-entry.ts';
import { binfmtFstabMounts } from '../../../src/facts/binfmt/parse-fstab.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { debFixture, need, tempDir } from '../../helpers/fixtures.ts';

function qemuRoot(t: TestContext): string | undefined {
  const deb = debFixture('qemu-user-static');
  if (!need(t, deb !== null, 'qemu-user-static .deb')) return undefined;
  const root = tempDir(t);
  execFileSync('dpkg-deb', ['-x', deb!.path, root]);
  return root;
}

test('binfmt.d from the real qemu-user-static package, with /etc overriding and masking by file name', (t) => {
  const root = qemuRoot(t);
  if (root === undefined) return;
  const shipped = fs.readdirSync(path.join(root, 'usr/lib/binfmt.d')).filter((n) => n.endsWith('.conf'));
  // hand-made overrides, the way an admin writes them
  fs.mkdirSync(path.join(root, 'etc/binfmt.d'), { recursive: true });
  fs.symlinkSync('/dev/null', path.join(root, 'etc/binfmt.d/qemu-arm.conf'));
  fs.writeFileSync(path.join(root, 'etc/binfmt.d/qemu-aarch64.conf'), '# local\n:qemu-aarch64:M::\\x7fELF\\x02::/usr/local/bin/qemu-aarch64:F\n');
  fs.mkdirSync(path.join(root, 'run/binfmt.d'), { recursive: true });
  fs.writeFileSync(path.join(root, 'run/binfmt.d/zz-extra.conf'), '; comment\n\n  :zz:E::zz::/bin/zz:  \n');
  fs.writeFileSync(path.join(root, 'run/binfmt.d/ignored.txt'), ':x:E::x::/bin/x:\n');
  const f = collectBinfmt({ fs: new RootFs(root), release: undefined, offline: false });
  BinfmtFacts.parse(f);
  assert.equal(f.config.state, 'known');
  const cfg = f.config.state === 'known' ? f.config.value : [];
  const names = cfg.map((c) => c.name);
  assert.equal(cfg.length, shipped.length - 1 + 1); // qemu-arm masked, zz added, aarch64 replaced in place
  assert.ok(!names.includes('qemu-arm'));
  assert.ok(names.includes('qemu-armeb'));
  const a64 = cfg.find((c) => c.name === 'qemu-aarch64')!;
  assert.equal(a64.file, path.join(root, 'etc/binfmt.d/qemu-aarch64.conf'));
  assert.equal(a64.line, 2);
  const zz = cfg.find((c) => c.name === 'zz')!;
  assert.equal(zz.register, ':zz:E::zz::/bin/zz:');
  // ordered by file name, whichever directory holds it
  const files = cfg.map((c) => path.basename(c.file));
  assert.deepEqual(files, [...files].sort());
  assert.equal(f.bootMount.state === 'known' && f.bootMount.value.length, 0);
});

test("a qemu-user-static binfmt.d line, registered in a private user namespace, reads back with the package's magic, mask and flags", (t) => {
  const root = qemuRoot(t);
  if (root === undefined) return;
  const line = parseBinfmtD(fs.readFileSync(path.join(root, 'usr/lib/binfmt.d/qemu-aarch64.conf'), 'utf8'))[0]!;
  const fields = line.register.split(':');
  // the interpreter must exist for F (opened at registration): point it at the unpacked binary, keep the rest
  fields[6] = fs.realpathSync(path.join(root, 'usr/bin/qemu-aarch64-static'));
  const dir = tempDir(t);
  // the aarch64 ELF magic matches nothing runnable on this x86-64 machine, so the namespace's own programs still work
  const script = 'set -e; mkdir "$1/m"; mount -t binfmt_misc binfmt_misc "$1/m"; printf "%s" "$2" > "$1/m/register"; cat "$1/m/qemu-aarch64" > "$1/entry"; umount "$1/m"';
  const r = spawnSync('unshare', ['-Urm', 'sh', '-c', script, 'sh', dir, fields.join(':')], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) {
    const why = `binfmt_misc in a user namespace not permitted here (needs Linux >= 6.7): ${r.stderr.trim()}`;
    console.log(`# SKIP ${why}`);
    t.skip(why);
    return;
  }
  const e = parseBinfmtEntry('qemu-aarch64', fs.readFileSync(path.join(dir, 'entry'), 'utf8'));
  assert.ok(e.ok, e.ok ? '' : e.reason);
  const hex = (s: string) => s.replace(/\\x/g, '');
  assert.equal(e.entry.magic, hex(fields[4]!));
  assert.equal(e.entry.mask, hex(fields[5]!));
  assert.equal(e.entry.flags, 'POF'); // the kernel prints P O C F in its own order, not the order given ("OPF")
  assert.equal(e.entry.interpreter, fields[6]);
});

test('bootMount: systemd units unless masked, higher directories first, and fstab lines that are not noauto', (t) => {
  const root = tempDir(t);
  const unit = fs.readFileSync('/lib/systemd/system/proc-sys-fs-binfmt_misc.automount', 'utf8');
  fs.mkdirSync(path.join(root, 'usr/lib/systemd/system'), { recursive: true });
  fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
  fs.writeFileSync(path.join(root, 'usr/lib/systemd/system/proc-sys-fs-binfmt_misc.automount'), unit);
  fs.writeFileSync(path.join(root, 'usr/lib/systemd/system/proc-sys-fs-binfmt_misc.mount'), '[Mount]\nWhat=binfmt_misc\n');
  fs.symlinkSync('/dev/null', path.join(root, 'etc/systemd/system/proc-sys-fs-binfmt_misc.mount'));
  // hand-made fstab
  fs.writeFileSync(path.join(root, 'etc/fstab'), '# x\nUUID=1 / ext4 defaults 0 1\nnone /proc/sys/fs/binfmt_misc binfmt_misc defaults 0 0\nnone /mnt/b binfmt_misc noauto 0 0\n');
  const f = collectBinfmt({ fs: new RootFs(root), release: undefined, offline: false });
  assert.deepEqual(f.bootMount.state === 'known' && f.bootMount.value, [
    path.join(root, 'usr/lib/systemd/system/proc-sys-fs-binfmt_misc.automount'),
    `${path.join(root, 'etc/fstab')}:3 /proc/sys/fs/binfmt_misc`,
  ]);
  fs.symlinkSync('/dev/null', path.join(root, 'etc/systemd/system/proc-sys-fs-binfmt_misc.automount'));
  const g = collectBinfmt({ fs: new RootFs(root), release: undefined, offline: false });
  assert.equal(g.bootMount.state === 'known' && g.bootMount.value.length, 1);
});

test('this machine: binfmt_misc supported but not mounted, so status and handlers are unknown with that reason', () => {
  const f = collectBinfmt({ fs: new RootFs('/'), release: undefined, offline: false });
  BinfmtFacts.parse(f);
  const mounted = fs.readFileSync('/proc/1/mountinfo', 'utf8').includes(' - binfmt_misc ');
  assert.equal(f.supported.state === 'known' && f.supported.value, fs.readFileSync('/proc/filesystems', 'utf8').includes('binfmt_misc'));
  assert.equal(f.mounts.state === 'known' && f.mounts.value.length > 0, mounted);
  if (!mounted) {
    assert.equal(f.entries.state, 'unknown');
    assert.match(f.entries.state === 'unknown' ? f.entries.reason : '', /not mounted/);
  }
  // /usr/lib/binfmt.d on this machine (python3, llvm) shows up in config
  const shipped = fs.existsSync('/usr/lib/binfmt.d') ? fs.readdirSync('/usr/lib/binfmt.d').filter((n) => n.endsWith('.conf')) : [];
  if (f.config.state === 'known') assert.ok(f.config.value.length >= shipped.length);
});

test('offline targets: every binfmt fact unknown with the offline reason', () => {
  const f = collectBinfmt({ fs: new MemoryFs('pkg'), release: '6.12', offline: true });
  for (const v of Object.values(f)) {
    assert.equal(v.state, 'unknown');
    assert.match(v.state === 'unknown' ? v.reason : '', /^offline target \(.*\): not a running system, so nodefit does not read its /);
  }
});

test('hostile binfmt_misc: garbage entries, huge entries and too many handlers give unknown, never a crash', () => {
  const base = () => {
    const m = new MemoryFs('hostile');
    m.addFile('/proc/1/mountinfo', Buffer.from('50 22 0:45 / /proc/sys/fs/binfmt_misc rw - binfmt_misc binfmt_misc rw\n'));
    m.addFile('/proc/sys/fs/binfmt_misc/status', Buffer.from('enabled\n'));
    m.addFile('/proc/sys/fs/binfmt_misc/register', Buffer.alloc(0));
    return m;
  };
  const garbage = base();
  garbage.addFile('/proc/sys/fs/binfmt_misc/evil', Buffer.from('enabled\ninterpreter /x\nflags: \noffset 0\nmagic zz\n'));
  const g = collectBinfmt({ fs: garbage, release: undefined, offline: false });
  assert.equal(g.entries.state, 'unknown');
  assert.match(g.entries.state === 'unknown' ? g.entries.reason : '', /evil.*magic is not hex/);
  assert.equal(g.enabled.state === 'known' && g.enabled.value, true);
  const huge = base();
  huge.addFile('/proc/sys/fs/binfmt_misc/big', Buffer.alloc(1024 * 1024, 'x'));
  assert.equal(collectBinfmt({ fs: huge, release: undefined, offline: false }).entries.state, 'unknown');
  const many = base();
  for (let i = 0; i < 1100; i++) many.addFile(`/proc/sys/fs/binfmt_misc/h${i}`, Buffer.from('enabled\ninterpreter /x\nflags: \nextension .x\n'));
  const mf = collectBinfmt({ fs: many, release: undefined, offline: false });
  assert.match(mf.entries.state === 'unknown' ? mf.entries.reason : '', /more than the 1024/);
  const badStatus = base();
  badStatus.addFile('/proc/sys/fs/binfmt_misc/status', Buffer.from('maybe'));
  assert.equal(collectBinfmt({ fs: badStatus, release: undefined, offline: false }).enabled.state, 'unknown');
});

test('entry parser: round-trips what entry_status() prints, and never throws on garbage (property)', () => {
  const hexBytes = (n: number) => fc.array(fc.integer({ min: 0, max: 255 }), { minLength: n, maxLength: n }).map((a) => a.map((b) => b.toString(16).padStart(2, '0')).join(''));
  const magicEntry = fc.integer({ min: 1, max: 32 }).chain((n) =>
    fc.record({
      enabled: fc.boolean(),
      interpreter: fc.stringMatching(/^\/[a-zA-Z0-9/_ .-]{1,40}$/),
      flags: fc.subarray(['P', 'O', 'C', 'F']).map((a) => a.join('')),
      offset: fc.nat(127),
      magic: hexBytes(n),
      mask: fc.option(hexBytes(n), { nil: undefined }),
    }),
  );
  fc.assert(
    fc.property(magicEntry, (e) => {
      const text = `${e.enabled ? 'enabled' : 'disabled'}\ninterpreter ${e.interpreter}\nflags: ${e.flags}\noffset ${e.offset}\nmagic ${e.magic}\n${e.mask !== undefined ? `mask ${e.mask}\n` : ''}`;
      const r = parseBinfmtEntry('n', text);
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.equal(r.entry.magic, e.magic);
      assert.equal(r.entry.mask, e.mask);
      assert.equal(r.entry.offset, e.offset);
      assert.equal(r.entry.flags, e.flags);
      assert.equal(r.entry.interpreter, e.interpreter);
    }),
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      const r = parseBinfmtEntry('x', s);
      assert.equal(typeof r.ok, 'boolean');
    }),
  );
});

test('binfmt.d parsing and override semantics (property): first directory wins per name, masks hide, order by name', () => {
  const file = fc.record({
    dir: fc.constantFrom('/etc/binfmt.d', '/run/binfmt.d', '/usr/lib/binfmt.d'),
    name: fc.constantFrom('a.conf', 'b.conf', 'qemu-arm.conf', 'x.txt'),
    masked: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(file, { maxLength: 12 }), (files) => {
      const eff = effectiveBinfmtDFiles(files);
      for (const e of eff) {
        assert.ok(e.name.endsWith('.conf'));
        assert.equal(files.find((f) => f.name === e.name), e);
        assert.equal(e.masked, false);
      }
      assert.deepEqual(eff.map((e) => e.name), [...new Set(eff.map((e) => e.name))].sort());
    }),
  );
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => void parseBinfmtD(s)));
  assert.equal(registerName(':qemu-arm:M::x::/b:'), 'qemu-arm');
  assert.equal(registerName('|a|E::x::/b:'), 'a');
  assert.equal(registerName(':../x:M::'), '');
  assert.equal(registerName('::M::'), '');
  assert.deepEqual(binfmtFstabMounts('none /a\\040b binfmt_misc rw 0 0\n'), [{ line: 1, mountPoint: '/a b', options: ['rw'] }]);
});
