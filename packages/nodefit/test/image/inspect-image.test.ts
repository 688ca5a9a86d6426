// Image facts from real Debian binaries: BusyBox applets and unpackers, qemu-user-static interpreters, nft, and the
// architecture cross-check against a host's binfmt_misc handlers.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';

import { evaluate } from '../../src/engine/evaluate.ts';
import { known } from '../../src/facts/fact.ts';
import { loadImage } from '../../src/image/load-image.ts';
import {
  busyboxDecompressors,
  featuresToDecompressors,
  isKmodFeatureLine,
  parseBusyboxStrings,
  parseKmodStrings,
  qemuEmulates,
  versionAtLeast,
} from '../../src/image/tool-parsers.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';
import { need, tempDir } from '../helpers/fixtures.ts';
import { debLayer, debLayerFiltered, debLayers, packTar, writeOciLayout } from '../helpers/image-builder.ts';
import { snapshotOf } from '../kb/support.ts';

void test('Debian busybox 1.35 as modprobe: applets from its table, gzip+xz unpackers, no zstd, no in-kernel fallback', async (t) => {
  const layers = debLayers(['libc6', 'busybox']);
  if (!need(t, layers !== null, 'Debian busybox fixtures')) return;
  // hand-made: the applet links a busybox image installs (busybox --install), here only modprobe.
  const links = await packTar([{ name: 'sbin/', type: 'directory' }, { name: 'sbin/modprobe', type: 'symlink', linkname: '../bin/busybox' }]);
  const img = await loadImage(writeOciLayout(path.join(tempDir(t), 'bb'), [{ layers: [...layers!, links] }]));
  const f = img.facts;
  assert.equal(f.modprobe?.implementation, 'busybox');
  assert.equal(f.modprobe?.version, '1.35.0');
  assert.deepEqual(f.modprobe?.userspace, { gzip: true, xz: true, zstd: false });
  assert.equal(f.modprobe?.inKernelFallback, false);
  assert.equal(f.busybox?.version, '1.35.0');
  assert.equal(f.busybox?.isStatic, false);
  assert.ok(f.busybox.applets.includes('modprobe') && f.busybox.applets.length > 200);
  assert.deepEqual(f.busybox?.decompressors, ['gzip', 'xz']);
});

void test('qemu-user-static image: interpreters, what they emulate, and the architecture check against binfmt', async (t) => {
  const qemu = await debLayerFiltered('qemu-user-static', (n) => /^\.\/usr\/bin\/qemu-(aarch64|arm|riscv64)-static$/.test(n) || n === './usr/bin/' || n === './usr/');
  const nft = debLayers(['libc6', 'libmnl0', 'libnftnl11', 'libjansson4', 'libgmp10', 'libedit2', 'libbsd0', 'libmd0', 'libtinfo6', 'libnftables1', 'nftables']);
  if (!need(t, qemu !== null && nft !== null, 'Debian qemu-user-static and nftables fixtures')) return;
  const img = await loadImage(writeOciLayout(path.join(tempDir(t), 'q'), [{ layers: [...nft!, qemu!], architecture: 'arm64' }]));
  const f = img.facts;
  assert.deepEqual(
    f.qemu.map((q) => [q.path, q.emulates, q.runsOn, q.isStatic]),
    [
      ['/usr/bin/qemu-aarch64-static', 'arm64', 'amd64', true],
      ['/usr/bin/qemu-arm-static', 'arm', 'amd64', true],
      ['/usr/bin/qemu-riscv64-static', 'riscv64', 'amd64', true],
    ],
  );
  assert.equal(f.nft, '/usr/sbin/nft');
  assert.equal(f.binaryArchitectures['/usr/sbin/nft'], 'amd64');

  // The config says arm64 while the binaries are amd64: on an amd64 host without handlers that is a failure.
  const bare = factsBuilder().withArch('x86_64').with('binfmt', 'entries', known([], '/proc/sys/fs/binfmt_misc')).build();
  const arch = (facts: ReturnType<typeof factsBuilder>['build'] extends () => infer R ? R : never) =>
    evaluate(snapshotOf(facts, 'root'), { image: f, workloads: [] }).findings.filter((x) => x.checkId === 'image-architecture');
  const noHandler = arch(bare);
  assert.equal(noHandler[0]?.outcome, 'fail');
  assert.match(noHandler[0].message, /is arm64 on this amd64 host with no binfmt_misc handler for qemu-aarch64/);
  const handler = { name: 'qemu-aarch64', enabled: true, interpreter: '/usr/bin/qemu-aarch64-static', flags: 'POCF', type: 'magic' as const, offset: 0 };
  const withHandler = arch(factsBuilder().withArch('x86_64').with('binfmt', 'entries', known([handler], '/proc/sys/fs/binfmt_misc')).build());
  assert.equal(withHandler[0]?.outcome, 'pass', withHandler[0]?.message);
  // On an arm64 host, the image's amd64 qemu binaries cannot run at all.
  const onArm = arch(factsBuilder().withArch('aarch64').with('binfmt', 'entries', known([], '/proc/sys/fs/binfmt_misc')).build());
  assert.ok(onArm.some((x) => x.outcome === 'fail' && /qemu-aarch64-static \(emulates arm64\) is built for amd64/.test(x.message)));
});

void test('an image of the host architecture passes the architecture check', async (t) => {
  const layers = debLayers(['libc6', 'kmod', 'liblzma5', 'libzstd1', 'libssl3']);
  if (!need(t, layers !== null, 'Debian kmod fixtures')) return;
  const f = (await loadImage(writeOciLayout(path.join(tempDir(t), 'k'), [{ layers: layers! }]))).facts;
  const r = evaluate(snapshotOf(factsBuilder().withArch('x86_64').build(), 'root'), { image: f, workloads: [] }).findings.filter((x) => x.checkId === 'image-architecture');
  assert.equal(r[0]?.outcome, 'pass');
});

void test('real busybox-static banner and applet table parse; the Debian kmod feature line is recognised', (t) => {
  const bb = debLayer('busybox-static');
  if (!need(t, bb !== null, 'Debian busybox-static fixture')) return;
  const s = parseBusyboxStrings(bb!);
  assert.equal(s.version, '1.35.0');
  assert.ok(s.applets.includes('modprobe') && s.applets.includes('gunzip'));
  assert.ok(isKmodFeatureLine('+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL'));
  assert.deepEqual(featuresToDecompressors('+ZSTD +XZ -ZLIB +LIBCRYPTO -EXPERIMENTAL'), { zstd: true, xz: true, gzip: false });
  assert.ok(!isKmodFeatureLine('+UH +T'));
  assert.ok(versionAtLeast('1.37.0', [1, 37]) && !versionAtLeast('1.36.1', [1, 37]) && versionAtLeast('34.2', [33]));
  assert.equal(qemuEmulates('qemu-aarch64-static'), 'arm64');
  assert.equal(qemuEmulates('qemu-img'), undefined);
  assert.deepEqual(busyboxDecompressors(['gunzip']), ['gzip']);
});

void test('property: the tool parsers never throw on arbitrary bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 1024 }), fc.string(), (bytes, s) => {
      parseBusyboxStrings(bytes);
      parseKmodStrings(bytes);
      isKmodFeatureLine(s);
      featuresToDecompressors(s);
      qemuEmulates(s);
      versionAtLeast(s, [1, 2]);
      // Round trip: a feature line embedded in a binary is found again.
      const line = '+ZSTD -XZ +ZLIB';
      assert.equal(parseKmodStrings(Buffer.concat([Buffer.from(bytes).map((b) => (b === 0x2b || b === 0x2d ? 0 : b)), Buffer.from(`\0${line}\0`)])).featureLine, line);
    }),
    { numRuns: 500 },
  );
});
