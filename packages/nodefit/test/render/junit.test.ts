// JUnit XML parsed back: counts per suite, failure and skipped elements, and hostile text that stays well-formed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderJunit, stripXmlIllegal } from '../../src/render/junit.ts';
import { finding, report, sampleReport } from './report-builder.ts';
import { parseJunit as parse } from './validators.ts';

describe('junit renderer', () => {
  it('has a testsuite per workload and counts that match the report', () => {
    const doc = parse(renderJunit(sampleReport()));
    const root = doc.testsuites;
    assert.equal(root['@_tests'], '6');
    assert.equal(root['@_failures'], '2');
    assert.equal(root['@_skipped'], '2');
    assert.deepEqual(
      root.testsuite.map((s) => [s['@_name'], s['@_tests'], s['@_failures'], s['@_skipped']]),
      [
        ['host', '1', '0', '1'],
        ['containerd', '2', '1', '0'],
        ['kubelet', '1', '1', '0'],
        ['calico', '1', '0', '0'],
        ['cilium', '1', '0', '1'],
      ],
    );
    for (const s of root.testsuite) {
      assert.equal(s.testcase.length, Number(s['@_tests']));
      assert.equal(s.testcase.filter((c) => c.failure !== undefined).length, Number(s['@_failures']));
      assert.equal(s.testcase.filter((c) => c.skipped !== undefined).length, Number(s['@_skipped']));
    }
  });

  it('puts the message, evidence and fix in the failure, the reason in skipped, and keeps names unique', () => {
    const doc = parse(renderJunit(sampleReport()));
    const kubelet = doc.testsuites.testsuite.find((s) => s['@_name'] === 'kubelet')!;
    const f = kubelet.testcase[0]!.failure!;
    assert.equal(f['@_message'], 'cpuset v1 controller is gone: CONFIG_CPUSETS_V1 is not set');
    assert.equal(f['@_type'], 'error');
    assert.match(f['#text']!, /evidence: kernel\.config\.CPUSETS_V1 = not set/);
    assert.match(f['#text']!, /fix \(any\): Boot with cgroup v2/);
    const host = doc.testsuites.testsuite.find((s) => s['@_name'] === 'host')!;
    assert.equal(host.testcase[0]!.skipped!['@_message'], 'unknown: module compression unknown: no module tree');
    const containerd = doc.testsuites.testsuite.find((s) => s['@_name'] === 'containerd')!;
    assert.deepEqual(
      containerd.testcase.map((c) => c['@_name']),
      ['containerd/kernel-config', 'containerd/kernel-config #2'],
    );
  });

  it('escapes markup and drops characters XML 1.0 forbids', () => {
    const msg = 'a < b & "c" \'d\' ]]> \x00\x01\x0b\ufffe\ud800 e\tf\ng';
    const xml = renderJunit(report([finding({ checkId: 'x<y', workload: 'w&"', outcome: 'fail', message: msg })]));
    const doc = parse(xml);
    const s = doc.testsuites.testsuite[0]!;
    assert.equal(s['@_name'], 'w&"');
    assert.equal(s.testcase[0]!['@_name'], 'x<y');
    assert.equal(s.testcase[0]!.failure!['@_message'], 'a < b & "c" \'d\' ]]>  e\tf\ng');
  });

  it('stays well-formed for any message (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (message, workload) => {
        const xml = renderJunit(report([finding({ checkId: 'p', workload: workload === '' ? null : workload, outcome: 'fail', message })]));
        const doc = parse(xml);
        assert.equal(doc.testsuites.testsuite[0]!.testcase[0]!.failure!['@_message'], stripXmlIllegal(message));
      }),
      { numRuns: 200 },
    );
  });
});
