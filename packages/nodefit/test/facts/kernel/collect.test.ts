import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { collectKernel, readKernelConfigFile } from '../../../src/facts/kernel/collect.ts';
import { UserError } from '../../../src/cli/user-error.ts';
import { RootFs } from '../../../src/host/root-fs.ts';
import { MemoryFs } from '../../../src/host/memory-fs.ts';
import { corpusConfigs, fixtureManifest, need, tempDir } from '../../helpers/fixtures.ts';

const isLinux = process.platform === 'linux';

test('live host: kernel.release equals `uname -r`, version and cmdline come from /proc', (t) => {
  if (!need(t, isLinux && fs.existsSync('/proc/version'), 'a Linux /proc')) return;
  const k = collectKernel({ fs: new RootFs('/'), release: undefined, offline: false });
  assert.equal(k.release.state === 'known' && k.release.value, execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
  assert.equal(k.version.state === 'known' && k.version.value, fs.readFileSync('/proc/version', 'utf8').trimEnd());
  assert.ok(k.cmdline.state === 'known' && k.cmdline.value.length > 0);
});

test('live host: the config is read from /proc/config.gz when the kernel has one', (t) => {
  if (!need(t, isLinux && fs.existsSync('/proc/config.gz'), '/proc/config.gz on this machine')) return;
  const k = collectKernel({ fs: new RootFs('/'), release: undefined, offline: false });
  assert.equal(k.config.state, 'known');
  if (k.config.state !== 'known') return;
  assert.equal(k.config.source, '/proc/config.gz');
  const expected = zlib.gunzipSync(fs.readFileSync('/proc/config.gz')).toString('utf8');
  const setLines = expected.split('\n').filter((l) => /^CONFIG_\w+=/.test(l)).length;
  assert.equal([...k.config.value.options.values()].filter((v) => v !== 'n').length, setLines);
});

test('the Debian kernel package tree: release from the only /lib/modules dir, config from /boot/config-<release>', (t) => {
  const m = fixtureManifest();
  if (!need(t, m !== null && fs.existsSync(m.trees['kernel-6.12'].root), 'the unpacked kernel-6.12 tree')) return;
  const tree = m!.trees['kernel-6.12'];
  const k = collectKernel({ fs: new RootFs(tree.root), release: undefined, offline: true });
  assert.equal(k.release.state === 'known' && k.release.value, tree.release);
  assert.equal(k.config.state === 'known' && k.config.source, path.join(tree.root, 'boot', `config-${tree.release}`));
  assert.equal(k.config.state === 'known' && k.config.value.options.get('MODULE_COMPRESS_XZ'), 'y');
  // offline: /proc facts are unknown with the reason, not looked for
  assert.equal(k.version.state, 'unknown');
  assert.match(k.version.state === 'unknown' ? k.version.reason : '', /^offline target \(.*\): not a running system, so nodefit does not read its /);
  assert.match(k.cmdline.state === 'unknown' ? k.cmdline.reason : '', /^offline target \(.*\): not a running system, so nodefit does not read its /);
});

function hostWith(files: Record<string, Buffer | string>): MemoryFs {
  const m = new MemoryFs('test host');
  for (const [p, d] of Object.entries(files)) m.addFile(p, typeof d === 'string' ? Buffer.from(d) : d);
  return m;
}

test('distribution config locations: Fedora CoreOS (/usr/lib/modules/<r>/config), Flatcar (/usr/boot), Alpine flavour', () => {
  const cfg = 'CONFIG_MODULES=y\n';
  const cases: Array<[string, string]> = [
    ['6.5.6-300.fc39.x86_64', '/usr/lib/modules/6.5.6-300.fc39.x86_64/config'],
    ['6.6.21-flatcar', '/usr/boot/config-6.6.21-flatcar'],
    ['6.6.30-0-lts', '/boot/config-lts'],
    ['6.1.0-27-amd64', '/usr/src/linux-headers-6.1.0-27-amd64/.config'],
    ['5.14.0-1.el9.x86_64', '/boot/ostree/rhcos-abc/config-5.14.0-1.el9.x86_64'],
  ];
  for (const [release, where] of cases) {
    // hand-made: layouts as each distribution installs them
    const k = collectKernel({ fs: hostWith({ [where]: cfg }), release, offline: true });
    assert.equal(k.config.state === 'known' && k.config.source, where, release);
  }
});

test('a corrupt /proc/config.gz on the host is an unknown fact with the reason, or falls through to the next file', () => {
  // hand-made: a truncated gzip where the kernel's config should be
  const gz = zlib.gzipSync(Buffer.from('CONFIG_MODULES=y\n'.repeat(100)));
  const truncated = gz.subarray(0, gz.length - 12);
  const host = hostWith({ '/proc/sys/kernel/osrelease': '6.1.0-x\n', '/proc/config.gz': truncated });
  const k = collectKernel({ fs: host, release: undefined, offline: false });
  assert.equal(k.config.state, 'unknown');
  assert.match(k.config.state === 'unknown' ? k.config.reason : '', /\/proc\/config\.gz: truncated gzip data/);
  host.addFile('/boot/config-6.1.0-x', Buffer.from('CONFIG_MODULES=m\n'));
  const k2 = collectKernel({ fs: host, release: undefined, offline: false });
  assert.equal(k2.config.state === 'known' && k2.config.source, '/boot/config-6.1.0-x');
});

test('a directory where the config file should be, and a huge file, give unknown facts, not crashes', (t) => {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'boot/config-6.1.0-x'), { recursive: true });
  fs.mkdirSync(path.join(root, 'lib/modules/6.1.0-x'), { recursive: true });
  const fd = fs.openSync(path.join(root, 'lib/modules/6.1.0-x/config'), 'w');
  fs.ftruncateSync(fd, 1024 * 1024 * 1024);
  fs.closeSync(fd);
  const k = collectKernel({ fs: new RootFs(root), release: '6.1.0-x', offline: true });
  assert.equal(k.config.state, 'unknown');
  const reason = k.config.state === 'unknown' ? k.config.reason : '';
  assert.match(reason, /is a directory/);
  assert.match(reason, /config: file is \d+ bytes, more than the \d+ nodefit reads here/);
});

test('offline tree with several releases and none given: release unknown, naming them', () => {
  const m = new MemoryFs('two kernels');
  m.addDir('/lib/modules/6.1.0-1-amd64');
  m.addDir('/lib/modules/6.1.0-2-amd64');
  const k = collectKernel({ fs: m, release: undefined, offline: true });
  assert.equal(k.release.state, 'unknown');
  assert.match(k.release.state === 'unknown' ? k.release.reason : '', /6\.1\.0-1-amd64, 6\.1\.0-2-amd64/);
});

function userErrorLine(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof UserError, `expected UserError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), 'one line');
    return e.message;
  }
  assert.fail('expected a UserError');
}

test('--kernel-config FILE: plain and gzip corpus configs read the same', (t) => {
  const files = corpusConfigs();
  if (!need(t, files.length > 0, 'the kernel config corpus')) return;
  const dir = tempDir(t);
  const src = files.find((f) => f.includes('talos-6.12')) ?? files.at(0);
  if (src === undefined) return;
  const gz = path.join(dir, 'config.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(src)));
  const plain = readKernelConfigFile(src);
  const packed = readKernelConfigFile(gz);
  assert.equal(plain.state, 'known');
  assert.deepEqual(packed.state === 'known' && packed.value, plain.state === 'known' && plain.value);
  assert.equal(packed.state === 'known' && packed.source, gz);
});

test('--kernel-config FILE: truncated, corrupt, missing, directory, binary, empty or huge input is one UserError line naming the file', (t) => {
  const dir = tempDir(t);
  const gz = zlib.gzipSync(Buffer.from('CONFIG_MODULES=y\n'.repeat(1000)));
  const truncated = path.join(dir, 'truncated.gz');
  fs.writeFileSync(truncated, gz.subarray(0, gz.length / 2));
  assert.match(userErrorLine(() => readKernelConfigFile(truncated)), /truncated\.gz: truncated gzip data/);
  const corrupt = path.join(dir, 'corrupt.gz');
  const bad = Buffer.from(gz);
  bad.fill(0x55, 20, 60);
  fs.writeFileSync(corrupt, bad);
  assert.match(userErrorLine(() => readKernelConfigFile(corrupt)), /corrupt\.gz: (corrupt|truncated) gzip data/);
  assert.match(userErrorLine(() => readKernelConfigFile(path.join(dir, 'nope'))), /nope: no such file/);
  assert.match(userErrorLine(() => readKernelConfigFile(dir)), /is a directory/);
  const bin = path.join(dir, 'bin');
  fs.writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]));
  assert.match(userErrorLine(() => readKernelConfigFile(bin)), /bin: binary data/);
  const empty = path.join(dir, 'empty');
  fs.writeFileSync(empty, '# just a comment\n');
  assert.match(userErrorLine(() => readKernelConfigFile(empty)), /empty: no CONFIG_ lines/);
  const bomb = path.join(dir, 'bomb.gz');
  fs.writeFileSync(bomb, zlib.gzipSync(Buffer.alloc(40 * 1024 * 1024, 0x41)));
  assert.match(userErrorLine(() => readKernelConfigFile(bomb)), /expands past/);
  const huge = path.join(dir, 'huge');
  const fd = fs.openSync(huge, 'w');
  fs.ftruncateSync(fd, 1024 * 1024 * 1024);
  fs.closeSync(fd);
  const before = process.memoryUsage().rss;
  assert.match(userErrorLine(() => readKernelConfigFile(huge)), /huge: file is \d+ bytes, more than/);
  assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stays bounded');
});
