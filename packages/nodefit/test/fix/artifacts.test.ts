// `nodefit fix` artifacts from hand-built reports: each file parsed back by the rules of the tool that reads it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse as smolParse } from 'smol-toml';
import { FixDataError, renderFix } from '../../src/fix/artifacts.ts';
import { binfmtDLineError } from '../../src/fix/binfmt-register.ts';
import { neededActions } from '../../src/fix/collect-actions.ts';
import type { FixAction } from '../../src/engine/fix-action.ts';
import { finding, report } from '../render/report-builder.ts';

// hand-made: the actions the KB attaches to failing findings, with one duplicate across workloads and one passing
const QEMU_AARCH64 =
  ':qemu-aarch64:M::\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/libexec/qemu-binfmt/aarch64-binfmt-P:OPF';

function sample(os = 'debian') {
  const a = (actions: FixAction[]) => actions;
  return report(
    [
      finding({ checkId: 'k1', workload: 'cilium', outcome: 'fail', actions: a([{ kind: 'load-module', module: 'xt_socket' }, { kind: 'load-module', module: 'br_netfilter' }]) }),
      finding({
        checkId: 'k2',
        workload: 'kubelet',
        outcome: 'fail',
        actions: a([
          { kind: 'load-module', module: 'br_netfilter' },
          { kind: 'sysctl', key: 'net.bridge.bridge-nf-call-iptables', value: '1' },
          { kind: 'kernel-cmdline', arg: 'systemd.unified_cgroup_hierarchy=1' },
          { kind: 'kernel-cmdline', arg: 'cgroup_no_v1=all' },
        ]),
      }),
      finding({
        checkId: 'binfmt-registration-lifetime',
        workload: 'qemu-binfmt',
        outcome: 'warn',
        severity: 'warning',
        actions: a([{ kind: 'binfmt-mount' }, { kind: 'binfmt-register', name: 'qemu-aarch64', register: QEMU_AARCH64 }]),
      }),
      finding({ checkId: 'k3', workload: 'calico', outcome: 'pass', actions: a([{ kind: 'load-module', module: 'ipip' }]) }),
    ],
    { os: { id: os, versionId: null } },
  );
}

/** smol-toml builds null-prototype tables; plain objects compare with deepEqual. */
const parseToml = (text: string): unknown => JSON.parse(JSON.stringify(smolParse(text)));
const body = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith(';'));

describe('fix artifacts', () => {
  it('collects the actions of failing and warning findings once each, with who needs them', () => {
    const n = neededActions(sample());
    assert.deepEqual(
      n.map((x) => [x.action.kind, x.neededBy.join(',')]),
      [
        ['load-module', 'cilium'],
        ['load-module', 'cilium,kubelet'],
        ['sysctl', 'kubelet'],
        ['kernel-cmdline', 'kubelet'],
        ['kernel-cmdline', 'kubelet'],
        ['binfmt-mount', 'qemu-binfmt'],
        ['binfmt-register', 'qemu-binfmt'],
      ],
    );
  });

  it('writes Bottlerocket settings TOML that parses back to the settings Bottlerocket reads', () => {
    const text = renderFix(sample('bottlerocket'), 'bottlerocket', ['cilium', 'kubelet', 'qemu-binfmt']);
    const doc = parseToml(text) as { settings: Record<string, Record<string, unknown>> };
    assert.deepEqual(doc.settings.kernel!.modules, {
      xt_socket: { allowed: true, autoload: true },
      br_netfilter: { allowed: true, autoload: true },
    });
    assert.deepEqual(doc.settings.kernel!.sysctl, { 'net.bridge.bridge-nf-call-iptables': '1' });
    assert.deepEqual(doc.settings.boot, {
      'reboot-to-reconcile': true,
      'kernel-parameters': { 'systemd.unified_cgroup_hierarchy': ['1'], cgroup_no_v1: ['all'] },
    });
    assert.match(text, /^# Workloads: cilium, kubelet, qemu-binfmt\.$/m);
    assert.match(text, /no binfmt\.d/);
    assert.ok(!text.includes('ipip'), 'a passing finding asks for nothing');
  });

  it('writes a modules-load.d file: one module per line, the rest named in comments', () => {
    const text = renderFix(sample(), 'modules-load', ['cilium', 'kubelet']);
    assert.deepEqual(body(text), ['xt_socket', 'br_netfilter']);
    assert.match(text, /^# Workloads: cilium, kubelet\.$/m);
    // what this file cannot hold is named with the format that writes it
    assert.match(text, /^# {3}sysctl net\.bridge\.bridge-nf-call-iptables=1 \(for kubelet\): --format sysctl$/m);
    assert.match(text, /^# {3}kernel argument cgroup_no_v1=all \(for kubelet\): --format cmdline$/m);
  });

  it('writes a sysctl.d file of key = value lines, pointing at br_netfilter for net.bridge keys', () => {
    const text = renderFix(sample(), 'sysctl', ['kubelet']);
    assert.deepEqual(body(text), ['net.bridge.bridge-nf-call-iptables = 1']);
    assert.match(text, /\/etc\/sysctl\.d\//);
    assert.match(text, /br_netfilter is loaded: list it in modules-load\.d/);
    assert.match(text, /^# {3}load module br_netfilter \(for cilium, kubelet\): --format modules-load$/m);
    // Bottlerocket and Talos read no sysctl.d: the file says where the values go instead, and points only at settings
    const br = renderFix(sample('bottlerocket'), 'sysctl', ['kubelet']);
    assert.match(br, /settings\.kernel\.sysctl/);
    assert.match(br, /^# {3}load module br_netfilter \(for cilium, kubelet\): --format bottlerocket$/m);
    assert.match(renderFix(sample('talos'), 'sysctl', ['kubelet']), /machine\.sysctls/);
  });

  it('names failing checks that no configuration fixes, so a short file is not read as a healthy host', () => {
    const r = report([
      finding({ checkId: 'kernel-option', workload: 'cilium', outcome: 'fail', message: 'CONFIG_SCHEDSTATS is not y (n): schedstats' }),
      finding({ checkId: 'kernel-option', workload: 'cilium', outcome: 'warn', message: 'CONFIG_GENEVE is not y/m (n): geneve' }),
      finding({ checkId: 'kernel-option', workload: 'cilium', outcome: 'pass', message: 'CONFIG_BPF=y' }),
    ]);
    for (const format of ['bottlerocket', 'modules-load', 'binfmt', 'sysctl'] as const) {
      const text = renderFix(r, format, ['cilium']);
      assert.match(text, /^# {3}fail: CONFIG_SCHEDSTATS is not y \(n\): schedstats \(cilium\)$/m, format);
      assert.match(text, /^# {3}warn: CONFIG_GENEVE is not y\/m \(n\): geneve \(cilium\)$/m, format);
      assert.ok(!text.includes('CONFIG_BPF'), `${format}: a passing check is not listed`);
      assert.deepEqual(body(text), [], format);
    }
    const cl = renderFix(r, 'cmdline', ['cilium']).replace(/\n$/, '').split('\n');
    assert.equal(cl[cl.length - 1], '', 'the argument line stays last');
  });

  it('writes a binfmt.d file whose every line is a register string the kernel accepts', () => {
    const text = renderFix(sample(), 'binfmt', ['qemu-binfmt']);
    const lines = body(text);
    assert.deepEqual(lines, [QEMU_AARCH64]);
    for (const l of lines) assert.equal(binfmtDLineError(l), null);
    assert.match(text, /proc-sys-fs-binfmt_misc\.automount/);
  });

  it('writes the kernel command line as one line, with how to apply it on the target OS', () => {
    const deb = renderFix(sample(), 'cmdline', ['kubelet']);
    assert.deepEqual(body(deb), ['systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all']);
    assert.match(deb, /GRUB_CMDLINE_LINUX/);
    const talos = renderFix(sample('talos'), 'cmdline', ['kubelet']);
    assert.match(talos, /machine\.install\.extraKernelArgs/);
    assert.doesNotMatch(talos, /GRUB/);
    assert.match(renderFix(sample('bottlerocket'), 'cmdline', ['kubelet']), /settings\.boot\.kernel-parameters/);
  });

  it('refuses profile data that would make a broken artifact', () => {
    const bad = (action: FixAction) => report([finding({ checkId: 'x', workload: 'w', outcome: 'fail', actions: [action] })]);
    assert.throws(() => renderFix(bad({ kind: 'load-module', module: 'x]\n[settings.evil' }), 'bottlerocket', ['w']), FixDataError);
    assert.throws(() => renderFix(bad({ kind: 'load-module', module: 'a b' }), 'modules-load', ['w']), FixDataError);
    assert.throws(() => renderFix(bad({ kind: 'binfmt-register', name: 'q', register: ':q:M::\\x7g::/x:' }), 'binfmt', ['w']), FixDataError);
    assert.throws(() => renderFix(bad({ kind: 'kernel-cmdline', arg: 'a b' }), 'cmdline', ['w']), FixDataError);
    assert.throws(() => renderFix(bad({ kind: 'sysctl', key: 'a"b', value: '1' }), 'bottlerocket', ['w']), FixDataError);
    assert.throws(() => renderFix(bad({ kind: 'sysctl', key: 'net.x', value: '1\nkernel.y = 0' }), 'sysctl', ['w']), FixDataError);
    assert.throws(() => renderFix(bad({ kind: 'sysctl', key: 'net.x', value: ' 1' }), 'sysctl', ['w']), FixDataError);
    assert.throws(() => renderFix(bad({ kind: 'sysctl', key: 'net x', value: '1' }), 'sysctl', ['w']), FixDataError);
    // sysctl.d(5) reads a leading "-" as "ignore a failure to set this": the file would hide its own fix
    assert.throws(() => renderFix(bad({ kind: 'sysctl', key: '-net.ipv4.ip_forward', value: '1' }), 'sysctl', ['w']), FixDataError);
  });

  it('names what undecided checks would ask for in comments only', () => {
    const r = report([
      finding({ checkId: 'binfmt-registration-lifetime', workload: 'qemu-binfmt', outcome: 'unknown', actions: [{ kind: 'binfmt-mount' }] }),
      finding({ checkId: 'm', workload: 'w', outcome: 'unknown', actions: [{ kind: 'load-module', module: 'veth' }] }),
      finding({ checkId: 'c', workload: 'w', outcome: 'unknown', actions: [{ kind: 'kernel-cmdline', arg: 'cgroup_no_v1=all' }] }),
    ]);
    const ml = renderFix(r, 'modules-load', ['w']);
    assert.deepEqual(body(ml), []);
    assert.match(ml, /^# {3}load module veth \(for w\)$/m);
    assert.match(ml, /^# {3}mount binfmt_misc at boot \(for qemu-binfmt\)$/m);
    const cl = renderFix(r, 'cmdline', ['w']).replace(/\n$/, '').split('\n');
    assert.equal(cl[cl.length - 1], '', 'the argument line stays last (empty: nothing decided)');
    assert.deepEqual(parseToml(renderFix(r, 'bottlerocket', ['w'])), {});
  });

  it('writes a valid, empty artifact when nothing needs fixing', () => {
    const r = report([finding({ checkId: 'x', workload: 'w', outcome: 'pass' })]);
    assert.deepEqual(parseToml(renderFix(r, 'bottlerocket', ['w'])), {});
    assert.deepEqual(body(renderFix(r, 'modules-load', ['w'])), []);
    assert.deepEqual(body(renderFix(r, 'cmdline', ['w'])), []);
  });
});
