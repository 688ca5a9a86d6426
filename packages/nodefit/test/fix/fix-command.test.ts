// `nodefit fix` end to end on the real kernel config corpus: every artifact parses back, and usage errors exit 2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as smolParse } from 'smol-toml';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run.ts';
import { binfmtDLineError } from '../../src/fix/binfmt-register.ts';
import { isCmdlineArg, isModuleName } from '../../src/fix/collect-actions.ts';
import { FIX_FORMATS } from '../../src/fix/formats.ts';
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
    assert.match(badFormat.err, /^nodefit: unknown --format "yaml"; choose one of bottlerocket, modules-load, binfmt, cmdline\n$/);
    const badWorkload = await fix(['-w', 'no-such-workload', '--kernel-config', '/nonexistent', '--format', 'cmdline']);
    assert.equal(badWorkload.code, 2);
    assert.equal(badWorkload.err.split('\n').length, 2, badWorkload.err);
  });
});
