// Debian's real kernel packages (6.1 bookworm, 6.12 bookworm-backports) read in place: layout, release, config,
// module compression, and dependencies derived from .modinfo checked against what depmod wrote for the same tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { debFixture, fixtureManifest, need } from '../helpers/fixtures.ts';
import { readKernelPackage } from '../../src/host/kernel-package.ts';
import { collectFacts } from '../../src/facts/collect.ts';
import { parseModulesDep } from '../../src/facts/modules/parse-modules-dep.ts';
import { HostFsError } from '../../src/host/host-fs.ts';

for (const key of ['kernel-6.1', 'kernel-6.12'] as const) {
  test(`${key} .deb: config, module list with compression, indexes and derived dependencies`, async (t) => {
    const deb = debFixture(key);
    const tree = fixtureManifest()?.trees[key];
    if (!need(t, deb !== null && tree !== undefined, `the Debian ${key} package`)) return;
    const pkg = await readKernelPackage(deb!.path);
    assert.equal(pkg.release, tree!.release, 'release from the module directory name');
    assert.equal(pkg.info?.kind, 'deb');
    assert.equal(pkg.info?.name, deb!.package);
    assert.equal(pkg.info?.version, deb!.version);
    const moduleDir = `/lib/modules/${tree!.release}`;
    assert.equal(pkg.info?.moduleDir, moduleDir);

    // Debian 6.1 ships uncompressed .ko; 6.12 ships .ko.xz (checked against the unpacked tree)
    const want = key === 'kernel-6.1' ? 'none' : 'xz';
    assert.deepEqual(pkg.info?.moduleCompression, [want]);

    const facts = collectFacts(pkg.fs, { offline: true, release: pkg.release });
    assert.equal(facts.kernel.config.state, 'known');
    if (facts.kernel.config.state === 'known') {
      assert.match(facts.kernel.config.source, new RegExp(`:/boot/config-${tree!.release.replace(/[+]/g, '\\+')}$`));
      const real = fs.readFileSync(`${tree!.root}/boot/config-${tree!.release}`, 'utf8');
      assert.equal(facts.kernel.config.value.options.get('CPUSETS_V1'), /^CONFIG_CPUSETS_V1=(.)/m.exec(real)?.[1] ?? (/# CONFIG_CPUSETS_V1 is not set/.test(real) ? 'n' : undefined));
    }
    assert.equal(facts.modules.files.state, 'known');
    if (facts.modules.files.state === 'known') {
      const realCount = fs.readFileSync(`${tree!.root}${moduleDir}/modules.dep`, 'utf8').split('\n').filter((l) => l.includes(':')).length;
      assert.equal(Object.keys(facts.modules.files.value).length, realCount, 'one file per module depmod knows');
      assert.equal(facts.modules.files.value.iptable_raw?.compression, want);
    }
    for (const f of ['builtin', 'builtinModinfo', 'order'] as const) assert.equal(facts.modules[f].state, 'known', `modules.${f}`);

    // dependencies: derived for the KB's modules, identical to depmod's modules.dep for those modules
    assert.equal(facts.modules.deps.state, 'known');
    if (facts.modules.deps.state === 'known') {
      assert.match(facts.modules.deps.source, /derived by nodefit from the \.modinfo depends=/);
      const depmod = parseModulesDep(fs.readFileSync(`${tree!.root}${moduleDir}/modules.dep`, 'utf8')).deps;
      const derived = facts.modules.deps.value;
      assert.ok(Object.keys(derived).length >= 40);
      for (const m of ['iptable_raw', 'openvswitch', 'br_netfilter', 'nf_tables', 'xt_socket', 'ip_vs', 'overlay']) {
        assert.deepEqual([...(derived[m] ?? ['(missing)'])].sort(), [...(depmod[m] ?? [])].sort(), `deps of ${m}`);
      }
    }

    // contents: kept for modules the knowledge base needs, refused with a reason for the rest
    const ovs = facts.modules.files.state === 'known' ? facts.modules.files.value.openvswitch?.path : undefined;
    assert.ok(ovs !== undefined);
    const kept = pkg.fs.readFile(`${moduleDir}/${ovs}`);
    assert.deepEqual(kept, fs.readFileSync(`${tree!.root}${moduleDir}/${ovs}`));
    const other = facts.modules.files.state === 'known' ? facts.modules.files.value.ext4?.path : undefined;
    assert.ok(other !== undefined);
    assert.throws(() => pkg.fs.readFile(`${moduleDir}/${other}`), (e: unknown) => e instanceof HostFsError && /content not kept/.test(e.message));
  });
}
