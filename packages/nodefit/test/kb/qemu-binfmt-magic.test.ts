import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QEMU_BINFMT, qemuRegisterString } from '../../src/kb/qemu-binfmt-magic.ts';
import { parseBinfmtRegister } from '../../src/fix/binfmt-register.ts';
import { runCli } from '../../src/cli/run.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { debFixture, need, tempDir } from '../helpers/fixtures.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { encodeSnapshot } from '../../src/facts/snapshot-codec.ts';

test("QEMU's magic and mask per architecture equal Debian qemu-user-static's binfmt.d files", (t) => {
  const deb = debFixture('qemu-user-static');
  if (!need(t, deb !== null, 'the qemu-user-static .deb')) return;
  const dir = tempDir(t);
  execFileSync('dpkg-deb', ['-x', deb!.path, dir]);
  let compared = 0;
  for (const [arch, [magic, mask]] of Object.entries(QEMU_BINFMT)) {
    const conf = path.join(dir, 'usr/lib/binfmt.d', `qemu-${arch}.conf`);
    // the amd64 package leaves out its own architecture; x86_64 comes from QEMU's script alone
    if (!fs.existsSync(conf)) continue;
    const line = fs.readFileSync(conf, 'utf8').split('\n').find((l) => l.startsWith(':')) as string;
    const fields = line.split(':');
    assert.equal(fields[4], magic, `${arch} magic`);
    assert.equal(fields[5], mask, `${arch} mask`);
    compared += 1;
  }
  assert.ok(compared >= 5, `compared ${compared} architectures`);
});

test('every generated register string passes the kernel-rule validator', () => {
  for (const arch of Object.keys(QEMU_BINFMT)) {
    const line = qemuRegisterString(arch) as string;
    const r = parseBinfmtRegister(line);
    assert.ok(r.ok, `${arch}: ${r.ok ? '' : r.error}`);
  }
  assert.equal(qemuRegisterString('vax'), undefined);
});

test('fix --format binfmt writes a handler line for each missing foreign architecture', async (t) => {
  // this host, except binfmt_misc is mounted and has no handler: the state a multi-arch builder starts from
  const snap = await loadTarget({ base: { kind: 'live' } });
  const src = '/proc/1/mountinfo';
  snap.facts.binfmt = {
    ...snap.facts.binfmt,
    mounts: { state: 'known', value: ['/proc/sys/fs/binfmt_misc'], source: src },
    enabled: { state: 'known', value: true, source: '/proc/sys/fs/binfmt_misc/status' },
    entries: { state: 'known', value: [], source: '/proc/sys/fs/binfmt_misc' },
  };
  const file = path.join(tempDir(t), 'host.json');
  fs.writeFileSync(file, JSON.stringify(encodeSnapshot(snap)));
  const io = memoryIo();
  const code = await runCli(['fix', '--snapshot', file, '-w', 'qemu-binfmt', '--format', 'binfmt'], io);
  assert.equal(code, 0, io.err);
  const lines = io.out.split('\n').filter((l) => l.startsWith(':'));
  assert.deepEqual(
    lines.map((l) => l.split(':')[1]).sort(),
    ['qemu-aarch64', 'qemu-arm', 'qemu-ppc64le', 'qemu-riscv64', 'qemu-s390x'].filter((n) => n !== `qemu-${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}`),
  );
  for (const l of lines) assert.ok(parseBinfmtRegister(l).ok, l);
});
