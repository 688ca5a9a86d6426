// The two image incidents end to end, from real Debian packages and a real Debian 6.1 module tree:
// Bottlerocket 1.20.0 (.ko.gz host, image kmod without zlib) and k0s kube-router (legacy-wired image on an nft host).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { test } from 'node:test';

import { evaluate } from '../../src/engine/evaluate.ts';
import type { Finding } from '../../src/engine/report.ts';
import { known } from '../../src/facts/fact.ts';
import { collectModuleTreeDir } from '../../src/facts/modules/collect.ts';
import type { HostFacts } from '../../src/facts/snapshot.ts';
import type { ImageFacts } from '../../src/image/image-facts.ts';
import { loadImage } from '../../src/image/load-image.ts';
import { factsBuilder } from '../helpers/facts-builder.ts';
import { KERNEL_CONFIGS_DIR, need, tempDir } from '../helpers/fixtures.ts';
import {
  DEBIAN_OS_RELEASE,
  IPTABLES_DEBS,
  KMOD_DEBS,
  WRAPPER_INSTALLER,
  WRAPPER_SCRIPT,
  debLayer,
  debLayers,
  iptablesAlternatives,
  packTar,
  writeDockerSave,
  writeOciLayout,
} from '../helpers/image-builder.ts';
import { snapshotOf } from '../kb/support.ts';
import { debianTree, recompressedTree } from './host-tree.ts';

function hostWithModules(moduleDir: string, lockdown: 'none' | 'integrity'): HostFacts {
  const base = factsBuilder().withArch('x86_64').withRelease(path.basename(moduleDir)).build();
  const facts: HostFacts = { ...base, modules: collectModuleTreeDir(moduleDir) };
  return factsBuilder(facts).with('modules', 'lockdown', known(lockdown, '/sys/kernel/security/lockdown')).build();
}

function imageFindings(facts: HostFacts, image: ImageFacts, workloads: string[]): Finding[] {
  return evaluate(snapshotOf(facts, 'root'), { image, workloads }).findings.filter((f) => f.checkId.startsWith('image-'));
}

async function osLayer(): Promise<Buffer> {
  // hand-made: os-release (base-files is not among the fixtures).
  return packTar([{ name: 'etc/', type: 'directory' }, { name: 'etc/os-release', content: DEBIAN_OS_RELEASE }]);
}

void test('Bottlerocket 1.20.0: gzip modules + Debian kmod 30 (-ZLIB) fail naming iptable_raw; xz host passes; static modprobe at /usr/local/sbin passes', async (t) => {
  const debs = debLayers(KMOD_DEBS);
  const bbStatic = debLayer('busybox-static');
  if (!need(t, debs !== null && bbStatic !== null && debianTree() !== null, 'Debian kmod, busybox-static and kernel 6.1 fixtures')) return;
  const dir = tempDir(t);
  const gzHost = recompressedTree(path.join(dir, 'gz'), 'gzip');
  const xzHost = recompressedTree(path.join(dir, 'xz'), 'xz');
  const layers = [...debs!, await osLayer()];
  const image = (await loadImage(writeOciLayout(path.join(dir, 'cilium-like'), [{ layers }]))).facts;

  const fail = imageFindings(hostWithModules(gzHost, 'integrity'), image, ['cilium']).find((f) => f.checkId === 'image-modprobe-compression')!;
  assert.equal(fail.outcome, 'fail');
  assert.equal(fail.workload, 'cilium');
  assert.match(fail.message, /\/sbin\/modprobe \(-> \/bin\/kmod\), kmod 30 \(\+ZSTD \+XZ -ZLIB \+LIBCRYPTO -EXPERIMENTAL\)/);
  assert.match(fail.message, /cannot decompress gzip modules/);
  assert.match(fail.message, /iptable_raw/);
  assert.match(fail.message, /Operation not permitted/);
  assert.ok(fail.actions?.some((a) => a.kind === 'load-module' && a.module === 'iptable_raw'));
  assert.ok(fail.evidence.some((e) => e.fact === 'modules.files.iptable_raw' && e.value.endsWith('iptable_raw.ko.gz')));

  const noLockdown = imageFindings(hostWithModules(gzHost, 'none'), image, ['cilium']).find((f) => f.checkId === 'image-modprobe-compression')!;
  assert.match(noLockdown.message, /Exec format error/);

  const pass = imageFindings(hostWithModules(xzHost, 'integrity'), image, ['cilium']).find((f) => f.checkId === 'image-modprobe-compression')!;
  assert.equal(pass.outcome, 'pass', pass.message);
  assert.match(pass.message, /iptable_raw \(xz\)/);

  // Bottlerocket >= 1.20.2 puts a static modprobe at /usr/local/sbin. Stand-in: busybox-static's modprobe applet
  // (real Debian binary, gzip and xz unpackers), first in the default PATH.
  const bb = await packTar([
    { name: 'usr/local/sbin/', type: 'directory' },
    { name: 'usr/local/sbin/modprobe', type: 'link', linkname: 'bin/busybox' },
  ]);
  const fixed = (await loadImage(writeOciLayout(path.join(dir, 'fixed'), [{ layers: [...layers, bbStatic!, bb] }]))).facts;
  assert.equal(fixed.modprobe?.binary.path, '/usr/local/sbin/modprobe');
  assert.equal(fixed.modprobe?.implementation, 'busybox');
  assert.equal(fixed.modprobe?.binary.isStatic, true);
  const fixedFindings = imageFindings(hostWithModules(gzHost, 'integrity'), fixed, ['cilium']).find((f) => f.checkId === 'image-modprobe-compression')!;
  // PATH finds the static one; /sbin/modprobe (Debian kmod) still cannot, which the finding says.
  assert.equal(fixedFindings.outcome, 'warn', fixedFindings.message);
  assert.match(fixedFindings.message, /\/usr\/local\/sbin\/modprobe.*BusyBox 1\.35\.0/);
  assert.match(fixedFindings.message, /\/sbin\/modprobe \(kmod 30/);
  assert.notEqual(fixedFindings.outcome, 'fail');
});

void test('kube-router (k0s v1.31.2): legacy-wired image with the wrapper shipped but not installed fails on an nftables host; wrapper image passes', async (t) => {
  const debs = debLayers(IPTABLES_DEBS);
  if (!need(t, debs !== null, 'Debian iptables fixtures')) return;
  const dir = tempDir(t);
  // hand-made: the wrapper files (kubernetes-sigs/iptables-wrappers is not a Debian package).
  const wrapperFiles = [
    { name: 'iptables-wrapper', content: WRAPPER_SCRIPT, mode: 0o755 },
    { name: 'iptables-wrapper-installer.sh', content: WRAPPER_INSTALLER, mode: 0o755 },
  ];
  const legacy = [...debs!, await packTar([...iptablesAlternatives('legacy'), ...wrapperFiles])];
  const save = await writeDockerSave(path.join(dir, 'kube-router-legacy.tar'), { layers: legacy });
  const legacyImage = (await loadImage(save)).facts;
  assert.equal(legacyImage.iptables?.mode, 'legacy');
  assert.deepEqual(legacyImage.iptables?.binary.chain, ['/usr/sbin/iptables', '/etc/alternatives/iptables', '/usr/sbin/iptables-legacy', '/usr/sbin/xtables-legacy-multi']);
  assert.equal(legacyImage.iptables?.wrapperNotInstalled, true);
  assert.deepEqual(legacyImage.iptables?.backendsPresent, ['legacy', 'nft']);

  // Rocky 9.5: the host's iptables is iptables-nft, nf_tables active, no legacy table in use.
  const nftHost = factsBuilder()
    .withArch('x86_64')
    .withNfTablesActive(true)
    .withLegacyTables([])
    .with('netfilter', 'iptables', known({ path: '/usr/sbin/iptables', chain: ['/usr/sbin/iptables', '/usr/sbin/xtables-nft-multi'], kind: 'nft' as const }, '/usr/sbin/iptables'))
    .build();
  const fail = imageFindings(nftHost, legacyImage, ['kube-router']).find((f) => f.checkId === 'image-iptables-backend')!;
  assert.equal(fail.outcome, 'fail');
  assert.match(fail.message, /\/usr\/sbin\/iptables -> .*xtables-legacy-multi.* is iptables-legacy but the host uses nft/);
  assert.match(fail.message, /ships \/iptables-wrapper and \/iptables-wrapper-installer\.sh but the wrapper was never installed/);

  const wrapped = [...debs!, await packTar([...wrapperFiles, { name: 'usr/sbin/iptables', type: 'symlink', linkname: '/iptables-wrapper' }])];
  const wrapperImage = (await loadImage(await writeDockerSave(path.join(dir, 'kube-router-wrapper.tar'), { layers: wrapped }))).facts;
  assert.equal(wrapperImage.iptables?.mode, 'wrapper');
  const pass = imageFindings(nftHost, wrapperImage, ['kube-router']).find((f) => f.checkId === 'image-iptables-backend')!;
  assert.equal(pass.outcome, 'pass', pass.message);
});

void test('antrea#7755: the wrapper script in an image tells what it picks on a tie, and the -ge kind warns on a host without legacy xtables', async (t) => {
  const debs = debLayers(IPTABLES_DEBS);
  if (!need(t, debs !== null, 'Debian iptables fixtures')) return;
  const dir = tempDir(t);
  // hand-made wrapper scripts, each carrying only the comparison line of its generation of iptables-wrappers: before
  // the v2 tag a tie of rule counts went to legacy (-ge), from v2 to nft (-gt)
  const wrapperOf = (op: 'ge' | 'gt') => `#!/bin/sh\n# iptables-wrapper (stand-in)\nif [ "\${num_legacy_lines}" -${op} "\${num_nft_lines}" ]; then mode=legacy; else mode=nft; fi\n`;
  const imageWith = async (op: 'ge' | 'gt') => {
    const layers = [...debs!, await packTar([{ name: 'usr/sbin/iptables-wrapper', content: wrapperOf(op), mode: 0o755 }, { name: 'usr/sbin/iptables', type: 'symlink', linkname: 'iptables-wrapper' }])];
    return (await loadImage(await writeDockerSave(path.join(dir, `wrapper-${op}.tar`), { layers }))).facts;
  };
  const old = await imageWith('ge');
  assert.equal(old.iptables?.mode, 'wrapper');
  assert.equal(old.iptables?.wrapperUndecided, 'legacy');
  const v2 = await imageWith('gt');
  assert.equal(v2.iptables?.wrapperUndecided, 'nft');

  // Talos 1.12-like: the real Talos 6.18.45 config (no legacy xtables), nf_tables in use, no iptables on the host
  const talos = path.join(KERNEL_CONFIGS_DIR, 'talos-6.18.45.config');
  if (!need(t, fs.existsSync(talos), 'talos-6.18.45.config from the corpus')) return;
  const host = factsBuilder().withConfigFile(talos).withArch('x86_64').withNfTablesActive(true).withLegacyTables([]).build();
  const warn = imageFindings(host, old, ['antrea']).find((f) => f.checkId === 'image-iptables-backend')!;
  assert.equal(warn.outcome, 'warn', warn.message);
  assert.match(warn.message, /legacy on a tie.*can't initialize iptables table/);
  assert.equal(imageFindings(host, v2, ['antrea']).find((f) => f.checkId === 'image-iptables-backend')!.outcome, 'pass');
});
