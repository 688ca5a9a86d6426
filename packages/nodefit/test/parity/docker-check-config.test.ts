// Parity with Docker's own checker: moby's contrib/check-config.sh (as Debian's docker.io ships it) and
// `nodefit check --workload containerd --kernel-config F` must agree on every option the script checks, for every
// corpus config; each difference is explained below by a named rule, or the test fails and lists it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run.ts';
import type { Outcome } from '../../src/engine/report.ts';
import { corpusConfigs, fixtureManifest, need, tempDir } from '../helpers/fixtures.ts';

type ScriptVerdict = 'enabled' | 'module' | 'missing';

interface Diff {
  readonly config: string;
  readonly release: string;
  /** Whether the config starts with the header `make` writes (a full .config rather than a distribution's option list). */
  readonly hasHeader: boolean;
  readonly option: string;
  readonly script: ScriptVerdict;
  /** The outcome of nodefit's containerd finding about this option, or not-checked when no finding cites it. */
  readonly nodefit: Outcome | 'not-checked';
  /** Every option the same nodefit finding cites, with its value (alternatives, renames). */
  readonly cited: Readonly<Record<string, string>>;
  /** nodefit's capabilities.iptablesLegacy for the config. */
  readonly iptablesLegacy: string;
  /** The kernel's memory controller exists on cgroup v2 only (capabilities cgroupV1Controllers / cgroupV2Controllers). */
  readonly memoryV2Only: boolean;
}

interface Rule {
  readonly name: string;
  readonly why: string;
  readonly explains: (d: Diff) => boolean;
}

function versionAtLeast(release: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(release);
  if (m === null) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

/**
 * Options check-config.sh checks that the containerd profile leaves out on purpose, each group with the reason. The
 * test also proves the list is current: nodefit must really not check them.
 */
const OUTSIDE_PROFILE: Readonly<Record<string, readonly string[]>> = {
  // Docker's alternative storage drivers: the script fails only when none of them is there; containerd's default
  // snapshotter is overlayfs, which the profile requires (OVERLAY_FS, Kubernetes container-runtime prerequisites)
  'storage-driver-alternatives': ['AUFS_FS', 'BTRFS_FS', 'BTRFS_FS_POSIX_ACL', 'BLK_DEV_DM', 'DM_THIN_PROVISIONING'],
  // the backing filesystem of /var/lib/containerd is a property of the host's disks, not of the runtime contract
  'backing-filesystem': ['EXT3_FS', 'EXT3_FS_XATTR', 'EXT3_FS_POSIX_ACL', 'EXT3_FS_SECURITY', 'EXT4_FS', 'EXT4_FS_POSIX_ACL', 'EXT4_FS_SECURITY'],
  // Docker network-driver extras: encrypted swarm overlay networks (IPsec), the dummy interface for macvlan, and the
  // FTP/TFTP NAT helpers for clients in containers; none is used by containerd or a CNI baseline
  'docker-network-extras': [
    'CRYPTO', 'CRYPTO_AEAD', 'CRYPTO_GCM', 'CRYPTO_SEQIV', 'CRYPTO_GHASH', 'XFRM', 'XFRM_USER', 'XFRM_ALGO', 'INET_ESP',
    'INET_XFRM_MODE_TRANSPORT', 'DUMMY', 'NF_NAT_FTP', 'NF_CONNTRACK_FTP', 'NF_NAT_TFTP', 'NF_CONNTRACK_TFTP',
  ],
  // real-time group scheduling: only `docker run --cpu-rt-runtime` uses it; with it, the cgroup v2 cpu controller can
  // only be enabled while every RT process sits in the root cgroup (Documentation/admin-guide/cgroup-v2.rst, "CPU"),
  // so most distributions leave it off on purpose
  'rt-group-sched': ['RT_GROUP_SCHED'],
  // options of kernels older than the ones nodefit evaluates these checks for (the script gates them by version):
  // MEMCG_SWAP_ENABLED (<=5.8), MEMCG_KMEM (<=4.5), RESOURCE_COUNTERS (<=3.18), CFQ (<5.0)
  'old-kernel-tuning': ['MEMCG_SWAP_ENABLED', 'MEMCG_KMEM', 'RESOURCE_COUNTERS', 'IOSCHED_CFQ', 'CFQ_GROUP_IOSCHED'],
};

const RULES: readonly Rule[] = [
  ...Object.entries(OUTSIDE_PROFILE).map(([name, options]) => ({
    name,
    why: 'not part of the containerd profile (see OUTSIDE_PROFILE)',
    explains: (d: Diff) => d.nodefit === 'not-checked' && options.includes(d.option),
  })),
  {
    name: 'headerless-config-absent-is-unknown',
    why:
      'a config without the kconfig header is an option list (Fedora/ELN kernel-*.config), not `make` output: options left at ' +
      'their default are not listed, so nodefit calls an absent option unknown where the script calls it missing',
    explains: (d) => !d.hasHeader && d.script === 'missing' && d.nodefit === 'unknown' && Object.values(d.cited).every((v) => v === '(absent)'),
  },
  {
    name: 'legacy-tables-on-an-nft-only-kernel',
    // net/netfilter/Kconfig NETFILTER_XTABLES_LEGACY (v6.17): "not needed if you use iptables over nftables"; RHEL 10
    // ships no legacy modules although its config says IP_NF_IPTABLES_LEGACY=m (capabilities/iptables-legacy.ts)
    why:
      'the kernel has no legacy xtables, so the runtime\'s iptables can only be iptables-nft: the legacy table options do not ' +
      'apply (nodefit checks NFT_COMPAT, NFT_NAT and NETFILTER_XT_TARGET_MASQUERADE there); the script still asks for them',
    explains: (d) =>
      d.iptablesLegacy === 'unavailable' &&
      ['IP_NF_FILTER', 'IP_NF_NAT', 'IP_NF_TARGET_MASQUERADE', 'IP_NF_TARGET_REDIRECT'].includes(d.option) &&
      d.nodefit === 'not-checked',
  },
  {
    name: 'v1-options-on-a-v2-only-kernel',
    // e93d4166b40a (6.11) put the v1 memory controller behind MEMCG_V1; moby master's script checks these options
    // only when cgroupVersion is 1, the 20.10 copy here always
    why: 'the kernel has its memory controller on cgroup v2 only (MEMCG_V1 unset), so no runtime runs on cgroup v1 there: the v1-only options do not apply',
    explains: (d) => d.memoryV2Only && d.nodefit === 'not-checked' && ['CGROUP_CPUACCT', 'CGROUP_DEVICE', 'CGROUP_FREEZER', 'CPUSETS'].includes(d.option),
  },
  {
    name: 'nat-merge-backported',
    // 5.1 (3bf195ae6037 "netfilter: nat: merge nf_nat_ipv4,6 into nat core") folded NF_NAT_IPV4 into NF_NAT and named
    // the merged masquerading code NF_NAT_MASQUERADE; RHEL 8.3+ backported it into 4.18 (gravitational/satellite#288)
    why: 'the kernel is older than the script\'s 5.2 gate but has the merged NAT (NF_NAT_MASQUERADE): NF_NAT_IPV4 no longer exists there',
    explains: (d) => d.option === 'NF_NAT_IPV4' && d.script === 'missing' && d.nodefit === 'pass' && d.cited.NF_NAT_MASQUERADE !== undefined && d.cited.NF_NAT_MASQUERADE !== '(absent)',
  },
  {
    name: 'memcg-swap-folded-into-memcg',
    // deprecated in 5.8 (2d1c498), removed in 6.1 (e55b9f96860f "mm: memcontrol: drop dead CONFIG_MEMCG_SWAP config
    // symbol"); moby/moby#50553 proposes the same gate for the script
    why: 'CONFIG_MEMCG_SWAP is gone from 6.1 (swap accounting is part of MEMCG and SWAP); the script still asks for it',
    explains: (d) =>
      d.option === 'MEMCG_SWAP' && d.script === 'missing' && versionAtLeast(d.release, 6, 1) && (d.nodefit === 'not-applicable' || d.nodefit === 'not-checked'),
  },
  {
    name: 'memcg-swap-removal-backported',
    // RHEL 9 took e55b9f96860f into its 5.14 in a minor release (9.3's 5.14.0-362 still has MEMCG_SWAP=y, 9.7's -611
    // and CentOS Stream 9's -665 have no line for it at all): the script's 6.1 gate does not see a backport
    why: 'the kernel is older than 6.1 but its full config has no MEMCG_SWAP line while MEMCG and SWAP are set: the removal was backported, so swap accounting is part of MEMCG',
    explains: (d) =>
      d.option === 'MEMCG_SWAP' && d.script === 'missing' && d.nodefit === 'pass' && d.hasHeader && d.cited.MEMCG_SWAP === '(absent)' && d.cited.MEMCG === 'y' && d.cited.SWAP === 'y',
  },
];

/** Runs check-config.sh on one config, with `uname -r` answering the config's release so its version gates follow the config. */
function runScript(script: string, config: string, release: string, shimDir: string): Promise<string> {
  let PATH = process.env.PATH ?? '';
  // a config without a version leaves the script on the host's own uname, as it would be run there
  if (release !== '') {
    const bin = path.join(shimDir, release.replace(/[^A-Za-z0-9._+-]/g, '_'));
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'uname'), `#!/bin/sh\necho '${release.replace(/'/g, '')}'\n`, { mode: 0o755 });
    PATH = `${bin}:${PATH}`;
  }
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, config], { env: { ...process.env, PATH } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.resume();
    child.on('error', reject);
    // exit 1 just means "something missing": the verdicts are in the output
    child.on('close', () => resolve(out));
  });
}

// the script colours every verdict whether or not stdout is a terminal
const ANSI = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

export function parseScriptOutput(out: string): Map<string, ScriptVerdict> {
  const verdicts = new Map<string, ScriptVerdict>();
  for (const raw of out.replace(ANSI, '').split('\n')) {
    const m = /^\s*- CONFIG_([A-Z0-9_]+): (enabled \(as module\)|enabled|missing)\s*$/.exec(raw);
    if (m === null) continue;
    // the LEGACY_VSYSCALL lines report which mode is set, not a requirement met or missing
    if (m[1]!.startsWith('LEGACY_VSYSCALL_')) continue;
    verdicts.set(m[1]!, m[2] === 'missing' ? 'missing' : m[2] === 'enabled' ? 'enabled' : 'module');
  }
  return verdicts;
}

interface NodefitView {
  release: string;
  iptablesLegacy: string;
  memoryV2Only: boolean;
  byOption: Map<string, { outcome: Outcome; cited: Record<string, string> }>;
}

async function nodefitView(config: string): Promise<NodefitView> {
  const io = memoryIo();
  const code = await runCli(['check', '--workload', 'containerd', '--kernel-config', config, '--format', 'json', '--fail-on', 'never'], io);
  assert.equal(code, 0, io.err);
  const report = JSON.parse(io.out) as {
    target: {
      kernelRelease: string | null;
      capabilities: { iptablesLegacy: { value: string }; cgroupV1Controllers: { value: string[] | string }; cgroupV2Controllers: { value: string[] | string } };
    };
    findings: { workload: string | null; outcome: Outcome; evidence: { fact: string; value: string }[] }[];
  };
  const byOption = new Map<string, { outcome: Outcome; cited: Record<string, string> }>();
  for (const f of report.findings) {
    if (f.workload !== 'containerd') continue;
    const cited: Record<string, string> = {};
    for (const e of f.evidence) if (e.fact.startsWith('kernel.config.')) cited[e.fact.slice('kernel.config.'.length)] = e.value;
    for (const opt of Object.keys(cited)) if (!byOption.has(opt)) byOption.set(opt, { outcome: f.outcome, cited });
  }
  const { cgroupV1Controllers: v1, cgroupV2Controllers: v2 } = report.target.capabilities;
  const memoryV2Only = Array.isArray(v1.value) && Array.isArray(v2.value) && !v1.value.includes('memory') && v2.value.includes('memory');
  return { release: report.target.kernelRelease ?? '', iptablesLegacy: report.target.capabilities.iptablesLegacy.value, memoryV2Only, byOption };
}

function agrees(script: ScriptVerdict, nodefit: Outcome | 'not-checked'): boolean {
  return script === 'missing' ? nodefit === 'fail' || nodefit === 'warn' : nodefit === 'pass';
}

async function pool<T, R>(items: readonly T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
}

describe('parity with Docker check-config.sh', () => {
  it('agrees on every option the script checks, for every corpus config, or names the rule that explains why not', async (t) => {
    const script = fixtureManifest()?.checkConfig;
    const configs = corpusConfigs();
    if (!need(t, script !== undefined && fs.existsSync(script), "docker.io's check-config.sh")) return;
    if (!need(t, configs.length > 0, 'the kernel config corpus')) return;
    const shims = tempDir(t, 'nodefit-parity-');

    const diffs: Diff[] = [];
    let compared = 0;
    const nodefitCited = new Set<string>();
    const scriptChecked = new Set<string>();
    await pool(configs, 8, async (config) => {
      const view = await nodefitView(config);
      const hasHeader = /Kernel Configuration/.test(fs.readFileSync(config, 'utf8').slice(0, 400));
      const verdicts = parseScriptOutput(await runScript(script!, config, view.release, shims));
      assert.ok(verdicts.size >= 40, `${path.basename(config)}: only ${verdicts.size} options parsed from check-config.sh`);
      for (const o of view.byOption.keys()) nodefitCited.add(o);
      for (const [option, sv] of verdicts) {
        const nf = view.byOption.get(option);
        compared += 1;
        scriptChecked.add(option);
        const outcome = nf?.outcome ?? 'not-checked';
        if (!agrees(sv, outcome)) {
          diffs.push({ config: path.basename(config), release: view.release, hasHeader, option, script: sv, nodefit: outcome, cited: nf?.cited ?? {}, iptablesLegacy: view.iptablesLegacy, memoryV2Only: view.memoryV2Only });
        }
      }
    });

    const byRule = new Map<string, number>();
    const unexplained: Diff[] = [];
    for (const d of diffs) {
      const rule = RULES.find((r) => r.explains(d));
      if (rule === undefined) unexplained.push(d);
      else byRule.set(rule.name, (byRule.get(rule.name) ?? 0) + 1);
    }
    console.log(`# parity: ${configs.length} configs, ${compared} option verdicts compared, ${diffs.length} differences`);
    for (const [name, n] of byRule) console.log(`#   ${n} explained by ${name}`);
    assert.deepEqual(
      unexplained.map((d) => `${d.config} ${d.option}: script ${d.script}, nodefit ${d.nodefit} ${JSON.stringify(d.cited)}`),
      [],
    );

    // the rules are current: each explains something, and nodefit really does not check the OUTSIDE_PROFILE options
    for (const r of RULES) assert.ok(byRule.has(r.name), `rule ${r.name} explains no difference any more: remove it`);
    for (const o of Object.values(OUTSIDE_PROFILE).flat()) assert.ok(!nodefitCited.has(o), `${o} is checked by nodefit now`);
    // the uname shim makes the script apply its version gates to the config's kernel (NF_NAT_IPV4 only below 5.2)
    assert.ok(scriptChecked.has('NF_NAT_IPV4') && scriptChecked.has('NF_NAT_NEEDED'), 'no old-kernel option was checked by the script');
  });
});
