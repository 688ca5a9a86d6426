// Kernel packages built here (small, hand-made: real formats, fake contents) to cover what real packages never show:
// each payload compression, truncation, wrong magic, lying headers and a decompression bomb, each one clear UserError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readKernelPackage } from '../../src/host/kernel-package.ts';
import { UserError } from '../../src/cli/user-error.ts';
import { tempDir } from '../helpers/fixtures.ts';

const REL = '9.9.9-test';

function ar(members: ReadonlyArray<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [Buffer.from('!<arch>\n', 'latin1')];
  for (const m of members) {
    parts.push(Buffer.from(`${m.name.padEnd(16)}${'0'.padEnd(12)}${'0'.padEnd(6)}${'0'.padEnd(6)}${'100644'.padEnd(8)}${String(m.data.length).padEnd(10)}\`\n`, 'latin1'), m.data);
    if (m.data.length % 2 === 1) parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** A tree with the files a kernel package has, tarred the way dpkg-deb does (GNU format, "./" names). */
function tarTree(dir: string, files: Record<string, string | Buffer>): Buffer {
  const root = path.join(dir, 'tree');
  fs.rmSync(root, { recursive: true, force: true });
  for (const [p, data] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), data);
  }
  const r = spawnSync('tar', ['--format=gnu', '--sort=name', '-C', root, '-cf', '-', '.'], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0);
  return r.stdout;
}

function compress(data: Buffer, tool: 'gzip' | 'xz' | 'zstd'): Buffer {
  if (tool === 'gzip') return gzipSync(data);
  const r = spawnSync(tool, ['-c', '-q'], { input: data, maxBuffer: 1 << 30 });
  assert.equal(r.status, 0);
  return r.stdout;
}

const CONTROL = 'Package: linux-image-9.9.9-test\nVersion: 9.9.9-1\nArchitecture: amd64\n';

function deb(dir: string, data: Buffer, ext: string): Buffer {
  const control = gzipSync(tarTree(path.join(dir, 'c'), { control: CONTROL }));
  return ar([
    { name: 'debian-binary', data: Buffer.from('2.0\n') },
    { name: 'control.tar.gz', data: control },
    { name: `data.tar.${ext}`, data },
  ]);
}

const TREE = {
  [`boot/config-${REL}`]: 'CONFIG_MODULES=y\n# CONFIG_CPUSETS_V1 is not set\nCONFIG_MODULE_COMPRESS_ZSTD=y\n',
  [`lib/modules/${REL}/modules.order`]: 'kernel/net/a.ko\n',
  [`lib/modules/${REL}/modules.builtin`]: 'kernel/fs/ext4/ext4.ko\n',
  [`lib/modules/${REL}/kernel/net/a.ko.zst`]: Buffer.from('not really a module'),
};

for (const tool of ['gzip', 'xz', 'zstd'] as const) {
  test(`a .deb whose data.tar is ${tool}-compressed reads into the installed layout`, async (t) => {
    const dir = tempDir(t);
    const file = path.join(dir, `k-${tool}.deb`);
    const ext = tool === 'gzip' ? 'gz' : tool === 'zstd' ? 'zst' : 'xz';
    fs.writeFileSync(file, deb(dir, compress(tarTree(dir, TREE), tool), ext));
    const pkg = await readKernelPackage(file);
    assert.equal(pkg.release, REL);
    assert.equal(pkg.info?.name, 'linux-image-9.9.9-test');
    assert.equal(pkg.info?.version, '9.9.9-1');
    assert.equal(pkg.info?.compression, tool);
    assert.deepEqual(pkg.info?.moduleCompression, ['zstd']);
    assert.match(pkg.fs.readFile(`/boot/config-${REL}`).toString(), /CONFIG_CPUSETS_V1 is not set/);
    assert.equal(pkg.fs.readFile(`/lib/modules/${REL}/modules.order`).toString(), 'kernel/net/a.ko\n');
    assert.equal(pkg.fs.stat(`/lib/modules/${REL}/kernel/net/a.ko.zst`)?.size, 19);
    assert.match(pkg.fs.display(`/boot/config-${REL}`), new RegExp(`^k-${tool}\\.deb:/boot/config-${REL}$`));
  });
}

async function rejects(file: string, pattern: RegExp): Promise<void> {
  await assert.rejects(readKernelPackage(file), (e: unknown) => {
    assert.ok(e instanceof UserError, `expected UserError, got ${String(e)}`);
    assert.ok(e.message.includes(file), `names the file: ${e.message}`);
    assert.doesNotMatch(e.message, /\n/);
    assert.match(e.message, pattern);
    return true;
  });
}

test('truncated packages, wrong magic and a missing data member: one line naming the file', async (t) => {
  const dir = tempDir(t);
  const good = deb(dir, compress(tarTree(dir, TREE), 'xz'), 'xz');
  const cut = path.join(dir, 'cut.deb');
  fs.writeFileSync(cut, good.subarray(0, good.length - 40));
  await rejects(cut, /claims \d+ bytes but the file ends/);

  // the ar table is intact but the xz stream inside stops half-way
  const xz = compress(tarTree(dir, TREE), 'xz');
  const half = path.join(dir, 'half.deb');
  fs.writeFileSync(half, deb(dir, xz.subarray(0, Math.floor(xz.length / 2)), 'xz'));
  await rejects(half, /data\.tar\.xz\).*(truncated|corrupt)/);

  // the tar inside ends in the middle of a member
  const tarCut = tarTree(dir, { ...TREE, 'boot/vmlinuz': Buffer.alloc(5000, 1) });
  const mid = path.join(dir, 'mid.deb');
  fs.writeFileSync(mid, deb(dir, gzipSync(tarCut.subarray(0, 3000)), 'gz'));
  await rejects(mid, /tar data is truncated/);

  const notPkg = path.join(dir, 'notes.deb');
  fs.writeFileSync(notPkg, 'just text');
  await rejects(notPkg, /not a kernel package/);

  const noData = path.join(dir, 'nodata.deb');
  fs.writeFileSync(noData, ar([{ name: 'debian-binary', data: Buffer.from('2.0\n') }]));
  await rejects(noData, /no data\.tar member/);

  const notKernel = path.join(dir, 'other.deb');
  fs.writeFileSync(notKernel, deb(dir, gzipSync(tarTree(dir, { 'usr/bin/tool': 'x' })), 'gz'));
  await rejects(notKernel, /not a kernel package: no \/lib\/modules/);

  await rejects(path.join(dir, 'missing.deb'), /no such file/);
});

test('a payload that expands past the limit is stopped early, without holding it', async (t) => {
  const dir = tempDir(t);
  // hand-made bomb: 256 MiB of zeros gzip to ~250 KiB (ratio ~1000)
  const big = path.join(dir, 'tree', 'boot', 'vmlinuz-zeros');
  fs.mkdirSync(path.dirname(big), { recursive: true });
  const fd = fs.openSync(big, 'w');
  fs.ftruncateSync(fd, 256 * 1024 * 1024);
  fs.closeSync(fd);
  const r = spawnSync('sh', ['-c', `tar --format=gnu -C ${path.join(dir, 'tree')} -cf - . | gzip -1`], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0);
  const file = path.join(dir, 'bomb.deb');
  fs.writeFileSync(file, deb(dir, r.stdout, 'gz'));
  const before = process.memoryUsage().rss;
  await rejects(file, /decompresses to more than 40x its compressed size.*decompression bomb/);
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'memory stays bounded');
  await assert.rejects(readKernelPackage(file, { limits: { maxOutputBytes: 1024 * 1024, maxRatio: 1e6 } }), /more than 1048576 bytes \(limit\)/);
});

test('without xz/zstd executables (pure JS/WASM path) the same packages read the same, and a failure frees the decoder', async (t) => {
  const dir = tempDir(t);
  const saved = process.env.NODEFIT_NATIVE_DECOMPRESS;
  process.env.NODEFIT_NATIVE_DECOMPRESS = '0';
  t.after(() => {
    if (saved === undefined) delete process.env.NODEFIT_NATIVE_DECOMPRESS;
    else process.env.NODEFIT_NATIVE_DECOMPRESS = saved;
  });
  const xz = compress(tarTree(dir, TREE), 'xz');
  // a corrupt tar inside a valid xz stream stops the reader early; the WASM decoder must be released for the next read
  const bad = path.join(dir, 'bad.deb');
  fs.writeFileSync(bad, deb(dir, compress(Buffer.concat([Buffer.alloc(512, 0x41), tarTree(dir, TREE)]), 'xz'), 'xz'));
  await rejects(bad, /bad checksum/);
  for (const [tool, data] of [['xz', xz], ['zstd', compress(tarTree(dir, TREE), 'zstd')]] as const) {
    const file = path.join(dir, `wasm-${tool}.deb`);
    fs.writeFileSync(file, deb(dir, data, tool === 'xz' ? 'xz' : 'zst'));
    const pkg = await readKernelPackage(file);
    assert.equal(pkg.release, REL);
    assert.equal(pkg.info?.compression, tool);
  }
  const half = path.join(dir, 'half-wasm.deb');
  fs.writeFileSync(half, deb(dir, xz.subarray(0, Math.floor(xz.length / 2)), 'xz'));
  await rejects(half, /(truncated|corrupt)/);
});
