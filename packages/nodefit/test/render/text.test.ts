// The terminal report: grouping, order, OS-specific fixes, colour only when asked, and the summary line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/render/text.ts';
import { finding, report, sampleReport } from './report-builder.ts';

const ESC = '\x1b[';

describe('text renderer', () => {
  it('puts host-wide checks first, then failing workloads, and ends with the one-line summary', () => {
    const out = renderText(sampleReport(), { color: false });
    const heads = out.split('\n').filter((l) => /^\S+ (host-wide checks|workload )/.test(l));
    assert.deepEqual(heads, [
      '? host-wide checks',
      '✗ workload containerd',
      '✗ workload kubelet',
      '! workload calico',
      '- workload cilium',
    ]);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines[lines.length - 1], '2 fail, 1 warn, 1 unknown, 1 pass, 1 not applicable on node-a');
  });

  it('lists a failing finding before a passing one in the same workload, with evidence and references', () => {
    const out = renderText(sampleReport(), { color: false });
    assert.ok(out.indexOf('CONFIG_VETH is not set') < out.indexOf('CONFIG_OVERLAY_FS is set'));
    assert.match(out, /evidence: kernel\.config\.CPUSETS_V1 = not set \(\/boot\/config-6\.12\.117\+deb12-amd64\)/);
    assert.match(out, /see: https:\/\/docs\.kernel\.org\/admin-guide\/cgroup-v2\.html/);
  });

  it("gives the target OS family's remediation, falling back to the generic one", () => {
    const debian = renderText(sampleReport(), { color: false });
    assert.match(debian, /fix \(any\): Boot with cgroup v2/);
    assert.doesNotMatch(debian, /Bottlerocket variant/);
    assert.match(debian, /fix \(debian\): update-alternatives/);
    const br = renderText(sampleReport({ os: { id: 'bottlerocket', versionId: '1.20.0' } }), { color: false });
    assert.match(br, /fix \(bottlerocket\): Use a Bottlerocket variant/);
    assert.doesNotMatch(br, /fix \(any\): Boot with cgroup v2/);
    assert.doesNotMatch(br, /update-alternatives/);
  });

  it('colours only when asked', () => {
    assert.ok(!renderText(sampleReport(), { color: false }).includes(ESC));
    assert.ok(renderText(sampleReport(), { color: true }).includes(ESC));
  });

  it('never passes control characters from the snapshot through to the terminal', () => {
    const hostile = report([finding({ checkId: 'x', outcome: 'fail', message: 'bad\x1b[2Jclear\nforged line', evidence: [{ fact: 'f', value: '\x07', source: 's' }] })], {
      description: 'host\x1b]0;pwned\x07',
    });
    const out = renderText(hostile, { color: false });
    assert.ok(!out.includes('\x1b'));
    assert.ok(!out.includes('\x07'));
    assert.match(out, /bad\\x1b\[2Jclear\\nforged line/);
  });

  it('shows capabilities with their reasons, and an empty report still summarises', () => {
    const out = renderText(sampleReport(), { color: false });
    assert.match(out, /cgroupV1Controllers\s+cpu, memory\s+CPUSETS_V1 not set/);
    assert.match(out, /nftChains\s+1 accepted, 1 rejected/);
    assert.match(renderText(report([]), { color: false }), /0 fail, 0 warn, 0 unknown, 0 pass on node-a\n$/);
  });
});
