// The RPM reader on real packages: rpmbuild packs a subset of Debian's 6.12 module tree (netfilter modules, indexes,
// config) with xz and zstd payloads; nodefit reads them in place like any kernel package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureManifest, need, tempDir } from '../helpers/fixtures.ts';
import { readKernelPackage } from '../../src/host/kernel-package.ts';
import { collectFacts } from '../../src/facts/collect.ts';

const hasRpmbuild = spawnSync('rpmbuild', ['--version']).status === 0;

function buildRpm(dir: string, tree: { root: string; release: string }, payload: string): string {
  const rel = tree.release;
  const src = `${tree.root}/lib/modules/${rel}`;
  const spec = `Name: kernel-core-subset
Version: 6.12.117
Release: 1
Summary: subset of Debian's 6.12 module tree for nodefit tests
License: GPL-2.0-only
BuildArch: noarch
%define debug_package %{nil}
%define __os_install_post %{nil}
%define _build_id_links none
%description
nodefit test package
%install
mkdir -p %{buildroot}/usr/lib/modules/${rel}/kernel/net
cp -a ${src}/kernel/net/netfilter ${src}/kernel/net/ipv4 %{buildroot}/usr/lib/modules/${rel}/kernel/net/
cp ${src}/modules.builtin ${src}/modules.order ${src}/modules.builtin.modinfo %{buildroot}/usr/lib/modules/${rel}/
cp ${tree.root}/boot/config-${rel} %{buildroot}/usr/lib/modules/${rel}/config
ln -s ../../../usr/lib/modules/${rel}/config %{buildroot}/usr/lib/modules/${rel}/config-link
%files
/usr/lib/modules/${rel}
`;
  fs.writeFileSync(path.join(dir, 'k.spec'), spec);
  const r = spawnSync('rpmbuild', ['-bb', '--define', `_topdir ${dir}/top`, '--define', `_binary_payload ${payload}`, path.join(dir, 'k.spec')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const rpms = path.join(dir, 'top/RPMS/noarch');
  const file = fs.readdirSync(rpms).find((f) => f.endsWith('.rpm'));
  assert.ok(file);
  return path.join(rpms, file);
}

for (const [label, payload, compression] of [
  ['xz', 'w9.xzdio', 'xz'],
  ['zstd', 'w19.zstdio', 'zstd'],
] as const) {
  test(`RPM with a ${label} payload reads in place into the installed layout`, async (t) => {
    const tree = fixtureManifest()?.trees['kernel-6.12'];
    if (!need(t, hasRpmbuild, 'rpmbuild (apt package rpm)')) return;
    if (!need(t, tree !== undefined && fs.existsSync(tree.root), 'the unpacked Debian 6.12 kernel tree')) return;
    const rpm = buildRpm(tempDir(t), tree!, payload);
    const pkg = await readKernelPackage(rpm);
    assert.equal(pkg.release, tree!.release);
    assert.equal(pkg.info?.kind, 'rpm');
    assert.equal(pkg.info?.compression, compression);
    assert.equal(pkg.info?.name, 'kernel-core-subset');
    assert.equal(pkg.info?.moduleDir, `/usr/lib/modules/${tree!.release}`);
    const expected = fs
      .readdirSync(`${tree!.root}/lib/modules/${tree!.release}/kernel/net/netfilter`)
      .concat(fs.readdirSync(`${tree!.root}/lib/modules/${tree!.release}/kernel/net/ipv4/netfilter`))
      .filter((f) => f.endsWith('.ko.xz')).length;
    const facts = collectFacts(pkg.fs, { offline: true, release: pkg.release });
    assert.equal(facts.kernel.config.state, 'known');
    if (facts.kernel.config.state === 'known') assert.equal(facts.kernel.config.value.options.get('MODULE_COMPRESS_XZ'), 'y');
    assert.equal(facts.modules.files.state, 'known');
    if (facts.modules.files.state === 'known') {
      assert.ok(Object.keys(facts.modules.files.value).length >= expected, 'every module file of the subset is listed');
      assert.equal(facts.modules.files.value.iptable_raw?.compression, 'xz');
    }
    // no modules.dep in the package: derived from .modinfo, and it matches what depmod wrote for the full tree
    assert.equal(facts.modules.deps.state, 'known');
    if (facts.modules.deps.state === 'known') {
      assert.match(facts.modules.deps.source, /derived by nodefit/);
      assert.deepEqual([...(facts.modules.deps.value.iptable_raw ?? [])].sort(), ['ip_tables', 'x_tables']);
    }
    assert.equal(pkg.fs.readlink(`/usr/lib/modules/${tree!.release}/config-link`), `../../../usr/lib/modules/${tree!.release}/config`);
  });
}
