// `nodefit fix` end to end on the real kernel config corpus: every artifact parses back, and usage errors exit 2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as smolParse } from 'smol-toml';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run.ts';
import { binfmtDLineError } from '../../src/fix/binfmt-register.ts';
import { isCmdlineArg, isModuleName, isSysctlValue } from '../../src/fix/collect-actions.ts';
import { isSysctlKey } from '../../src/facts/netfilter/sysctl-key.ts';
import { FIX_FORMATS } from '../../src/fix/formats.ts';
import { checkProbePrivileges } from '../../src/probes/privileges.ts';
import { findTool } from '../../src/probes/exec.ts';
import { KERNEL_CONFIGS_DIR, corpusConfigs, need, tempDir } from '../helpers/fixtures.ts';

const ALL =
  'cilium,calico,antrea,flannel,kube-router,kube-proxy-iptables,kube-proxy-ipvs,kube-proxy-nftables,submariner,kata-containers,containerd,kubelet,istio-cni,qemu-binfmt';

async function fix(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(['fix', ...args], io);
  return { code, out: io.out, err: io.err };
}

const body = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith(';'));

function assertValidArtifact(format: string, text: string, where: string): void {
  switch (format) {
    case 'bottlerocket': {
      const doc = smolParse(text) as { settings?: { kernel?: { modules?: Record<string, unknown> } } };
      for (const [m, v] of Object.entries(doc.settings?.kernel?.modules ?? {})) {
        assert.ok(isModuleName(m), `${where}: module ${m}`);
        assert.deepEqual({ ...(v as object) }, { allowed: true, autoload: true }, where);
      }
      break;
    }
    case 'modules-load':
      for (const l of body(text)) assert.ok(isModuleName(l), `${where}: ${l}`);
      break;
    case 'binfmt':
      for (const l of body(text)) assert.equal(binfmtDLineError(l), null, `${where}: ${l}`);
      break;
    case 'sysctl':
      for (const l of body(text)) {
        const m = /^([^=]+?) = (.+)$/.exec(l);
        assert.ok(m !== null && isSysctlKey(m[1]!) && isSysctlValue(m[2]!), `${where}: ${l}`);
      }
      break;
    case 'cmdline': {
      const lines = body(text);
      assert.ok(lines.length <= 1, where);
      for (const a of (lines[0] ?? '').split(' ').filter((x) => x !== '')) assert.ok(isCmdlineArg(a), `${where}: ${a}`);
      break;
    }
  }
}

describe('nodefit fix', () => {
  it('writes a syntactically valid artifact in every format for every corpus config', async (t) => {
    const configs = corpusConfigs();
    if (!need(t, configs.length > 0, 'the kernel config corpus')) return;
    let withActions = 0;
    for (const config of configs) {
      for (const format of FIX_FORMATS) {
        const r = await fix(['-w', ALL, '--kernel-config', config, '--format', format]);
        assert.equal(r.code, 0, `${path.basename(config)} ${format}: ${r.err}`);
        assertValidArtifact(format, r.out, `${path.basename(config)} ${format}`);
        if (body(r.out).length > 0) withActions += 1;
      }
    }
    assert.ok(withActions > 0, 'no corpus config needed any fix: the test proves nothing');
  });

  it('turns a 6.12 kernel without cgroup v1 cpuset into Bottlerocket kernel parameters and a command line', async (t) => {
    // Debian 13's 6.12 config: CPUSETS_V1 is off, kubelet on cgroup v1 would lose cpuset
    const config = path.join(KERNEL_CONFIGS_DIR, 'debian13-6.12.63-1.config');
    if (!need(t, fs.existsSync(config), 'debian13-6.12.63-1.config from the corpus')) return;
    const br = await fix(['-w', ALL, '--kernel-config', config, '--format', 'bottlerocket']);
    const doc = JSON.parse(JSON.stringify(smolParse(br.out))) as { settings: { boot?: { 'kernel-parameters'?: Record<string, string[]> } } };
    assert.deepEqual(doc.settings.boot?.['kernel-parameters']?.['systemd.unified_cgroup_hierarchy'], ['1']);
    const cl = await fix(['-w', ALL, '--kernel-config', config, '--format', 'cmdline']);
    assert.match(body(cl.out)[0] ?? '', /(^| )systemd\.unified_cgroup_hierarchy=1( |$)/);
  });

  it('says why a file sets nothing: nothing failed, or the failures have no configuration fix', async (t) => {
    const debian12 = path.join(KERNEL_CONFIGS_DIR, 'debian12-6.1.159-1.config');
    const talos = path.join(KERNEL_CONFIGS_DIR, 'talos-6.18.45.config');
    if (!need(t, fs.existsSync(debian12) && fs.existsSync(talos), 'debian12-6.1.159-1.config and talos-6.18.45.config from the corpus')) return;
    const fine = await fix(['-w', 'calico', '--kernel-config', debian12, '--format', 'bottlerocket']);
    assert.equal(fine.code, 0);
    assert.equal(fine.err, 'nodefit: nothing to fix for calico on this target\n');
    // Talos 6.18 is built without CRYPTO_USER_API_HASH, which Cilium needs: no setting adds a kernel option
    const cilium = await fix(['-w', 'cilium', '--kernel-config', talos, '--format', 'bottlerocket']);
    assert.equal(cilium.code, 0);
    const note = /^nodefit: --format bottlerocket has nothing to set for cilium on this target: (\d+) failed or warned checks have no configuration fix \(named in the output's comments\)\n$/.exec(cilium.err);
    assert.ok(note !== null, cilium.err);
    const named = cilium.out.split('\n').filter((l) => /^# {3}(fail|warn): /.test(l));
    assert.equal(named.length, Number(note[1]), 'the count is the number of checks the file names');
    assert.ok(named.includes('#   fail: CONFIG_CRYPTO_USER_API_HASH is not y/m (n): crypto-user-api-hash (cilium)'), named.join('\n'));
    assert.doesNotMatch(cilium.err, /nothing to fix/);
  });

  it('writes a sysctl.d file that procps sysctl applies (in a throwaway network namespace)', async (t) => {
    // hand-made root: a host whose /proc says IPv4 forwarding is off, which kubelet's pod traffic needs on
    const root = tempDir(t);
    fs.mkdirSync(path.join(root, 'proc/1'), { recursive: true });
    fs.writeFileSync(path.join(root, 'proc/1/stat'), '1 (init) S 0 1 1 0 -1 0\n');
    fs.mkdirSync(path.join(root, 'proc/sys/net/ipv4'), { recursive: true });
    fs.writeFileSync(path.join(root, 'proc/sys/net/ipv4/ip_forward'), '0\n');
    const file = path.join(tempDir(t), '90-nodefit.conf');
    const r = await fix(['-w', 'kubelet', '--root', root, '--format', 'sysctl', '-o', file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '', 'the file sets something: no note');
    const text = fs.readFileSync(file, 'utf8');
    assert.deepEqual(body(text), ['net.ipv4.ip_forward = 1']);
    const unshare = findTool('unshare');
    const sysctl = findTool('sysctl');
    if (!need(t, checkProbePrivileges().ok && unshare !== null && sysctl !== null, 'root, unshare and sysctl (procps)')) return;
    // net.* keys belong to the network namespace: applying them in a new one leaves the host's own untouched
    assert.ok(body(text).every((l) => l.startsWith('net.')), 'only per-namespace keys may be applied here');
    const script = '"$1" -p "$2" >/dev/null && "$1" -n net.ipv4.ip_forward';
    const applied = spawnSync(unshare!, ['--net', 'sh', '-c', script, 'sh', sysctl!, file], { encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stderr);
    assert.equal(applied.stdout.trim(), '1');
  });

  it('writes the artifact to -o FILE', async (t) => {
    const configs = corpusConfigs();
    if (!need(t, configs.length > 0, 'the kernel config corpus')) return;
    const out = path.join(tempDir(t), 'nodefit.conf');
    const r = await fix(['-w', 'containerd', '--kernel-config', configs[0]!, '--format', 'modules-load', '-o', out]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.match(fs.readFileSync(out, 'utf8'), /^# modules-load\.d file/);
  });

  it('exits 2 with one line for a missing --workload, an unknown format or an unknown workload', async () => {
    const noWorkload = await fix(['--kernel-config', '/nonexistent', '--format', 'cmdline']);
    assert.equal(noWorkload.code, 2);
    assert.match(noWorkload.err, /^nodefit: name the workloads to fix for with --workload/);
    const badFormat = await fix(['-w', 'containerd', '--format', 'yaml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.err, /^nodefit: unknown --format "yaml"; choose one of bottlerocket, modules-load, binfmt, cmdline, sysctl\n$/);
    const badWorkload = await fix(['-w', 'no-such-workload', '--kernel-config', '/nonexistent', '--format', 'cmdline']);
    assert.equal(badWorkload.code, 2);
    assert.equal(badWorkload.err.split('\n').length, 2, badWorkload.err);
  });
});
