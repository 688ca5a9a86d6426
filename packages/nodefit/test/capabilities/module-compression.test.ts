// moduleCompression / inKernelDecompression / moduleLoading across the three Kconfig layouts, files over config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveInKernelDecompression } from '../../src/capabilities/in-kernel-decompression.ts';
import { deriveModuleCompression } from '../../src/capabilities/module-compression.ts';
import { deriveModuleLoading } from '../../src/capabilities/module-loading.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';

const configCases: { name: string; options: Record<string, string>; release?: string; value: string }[] = [
  { name: '<= 5.12: MODULE_COMPRESS + XZ', options: { MODULES: 'y', MODULE_COMPRESS: 'y', MODULE_COMPRESS_XZ: 'y', MODULE_COMPRESS_GZIP: 'n' }, value: 'xz' },
  { name: '<= 5.12: MODULE_COMPRESS off', options: { MODULES: 'y', MODULE_COMPRESS: 'n' }, value: 'none' },
  { name: '5.13-6.11 choice: GZIP (Bottlerocket 1.20)', options: { MODULES: 'y', MODULE_COMPRESS_NONE: 'n', MODULE_COMPRESS_GZIP: 'y', MODULE_COMPRESS_XZ: 'n', MODULE_COMPRESS_ZSTD: 'n' }, value: 'gzip' },
  { name: '5.13-6.11 choice: NONE', options: { MODULES: 'y', MODULE_COMPRESS_NONE: 'y', MODULE_COMPRESS_ZSTD: 'n' }, value: 'none' },
  { name: '6.12+: MODULE_COMPRESS + ZSTD + ALL', options: { MODULES: 'y', MODULE_COMPRESS: 'y', MODULE_COMPRESS_ZSTD: 'y', MODULE_COMPRESS_ALL: 'y' }, value: 'zstd' },
  { name: '6.12+: MODULE_COMPRESS off', options: { MODULES: 'y', MODULE_COMPRESS: 'n' }, value: 'none' },
  { name: 'no modules at all', options: { MODULES: 'n' }, value: 'none' },
  { name: 'RHEL: NONE in config, xz from kernel.spec packaging', options: { MODULES: 'y', MODULE_COMPRESS_NONE: 'y' }, release: '5.14.0-503.15.1.el9_5', value: 'xz' },
  { name: 'kernel before MODULE_COMPRESS existed', options: { MODULES: 'y' }, release: '3.10.0', value: 'none' },
];

for (const c of configCases) {
  test(`moduleCompression from config: ${c.name}`, () => {
    let b = factsBuilder().withConfig(c.options);
    if (c.release !== undefined) b = b.withRelease(c.release);
    const cap = deriveModuleCompression(b.build());
    assert.equal(cap.value, c.value, cap.reason);
  });
}

test('moduleCompression: files win over config, "mixed" when they disagree with each other or with config', () => {
  const gzFiles = ['kernel/a/x.ko.gz', 'kernel/a/y.ko.gz'];
  assert.equal(deriveModuleCompression(factsBuilder().withModules(gzFiles).build()).value, 'gzip');
  const vsCfg = deriveModuleCompression(
    factsBuilder().withConfig({ MODULES: 'y', MODULE_COMPRESS_XZ: 'y', MODULE_COMPRESS_NONE: 'n' }).withModules(gzFiles).build(),
  );
  assert.equal(vsCfg.value, 'mixed');
  assert.match(vsCfg.reason, /files are gzip but the kernel config says xz/);
  const mixed = deriveModuleCompression(factsBuilder().withModules(['kernel/a/x.ko.gz', 'kernel/a/y.ko.zst', 'kernel/a/z.ko']).build());
  assert.equal(mixed.value, 'mixed');
  assert.match(mixed.reason, /gzip:1/);
  assert.equal(deriveModuleCompression(factsBuilder().build()).value, 'unknown');
  // 6.12+ COMPRESS_ALL=n: packaging compresses with the chosen type; files agreeing is not "mixed".
  const all = factsBuilder().withConfig({ MODULES: 'y', MODULE_COMPRESS: 'y', MODULE_COMPRESS_XZ: 'y', MODULE_COMPRESS_ALL: 'n' });
  assert.equal(deriveModuleCompression(all.build()).value, 'xz');
  assert.equal(deriveModuleCompression(all.withModules(['kernel/a/x.ko.xz']).build()).value, 'xz');
});

test('inKernelDecompression: /sys/module/compression when live, else MODULE_DECOMPRESS + the chosen type', () => {
  assert.equal(deriveInKernelDecompression(factsBuilder().withKernelDecompression('zstd').build()).value, 'zstd');
  assert.equal(deriveInKernelDecompression(factsBuilder().withKernelDecompression(null).build()).value, 'none');
  const cfg = (o: Record<string, string>) => deriveInKernelDecompression(factsBuilder().withConfig(o).build());
  assert.equal(cfg({ MODULES: 'y', MODULE_COMPRESS: 'y', MODULE_COMPRESS_XZ: 'y', MODULE_COMPRESS_ALL: 'n', MODULE_DECOMPRESS: 'y' }).value, 'xz');
  assert.equal(cfg({ MODULES: 'y', MODULE_COMPRESS_GZIP: 'y', MODULE_DECOMPRESS: 'n' }).value, 'none');
  assert.equal(cfg({ MODULES: 'y', MODULE_COMPRESS_GZIP: 'y' }).value, 'none');
  assert.equal(deriveInKernelDecompression(factsBuilder().build()).value, 'unknown');
});

test('moduleLoading: CONFIG_MODULES and modules_disabled', () => {
  assert.equal(deriveModuleLoading(factsBuilder().withConfig({ MODULES: 'y' }).build()).value, 'available');
  assert.equal(deriveModuleLoading(factsBuilder().withConfig({ MODULES: 'n' }).build()).value, 'unavailable');
  const off = deriveModuleLoading(factsBuilder().withConfig({ MODULES: 'y' }).withModulesDisabled(true).build());
  assert.equal(off.value, 'unavailable');
  assert.match(off.reason, /modules_disabled is 1/);
  assert.equal(deriveModuleLoading(factsBuilder().withModulesDisabled(false).build()).value, 'available');
  assert.equal(deriveModuleLoading(factsBuilder().build()).value, 'unknown');
});
