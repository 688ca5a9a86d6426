// The JSON report keeps the DESIGN.md contract: field names, types and order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson } from '../../src/render/json.ts';
import { sampleReport } from './report-builder.ts';

describe('json renderer', () => {
  it('has the contract fields in contract order', () => {
    const j = JSON.parse(renderJson(sampleReport())) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j), ['schemaVersion', 'tool', 'target', 'summary', 'findings']);
    assert.equal(j.schemaVersion, 1);
    assert.deepEqual(j.tool, { name: 'nodefit', version: '0.1.0' });
    const target = j.target as Record<string, unknown>;
    for (const k of ['kind', 'kernelRelease', 'os', 'capabilities']) assert.ok(k in target, k);
    assert.deepEqual(target.os, { id: 'debian', versionId: '12' });
    assert.deepEqual((target.capabilities as Record<string, unknown>).iptablesLegacy, { value: 'available', reason: 'CONFIG_IP_NF_IPTABLES=m' });
    assert.deepEqual(j.summary, { pass: 1, fail: 2, warn: 1, unknown: 1, notApplicable: 1 });
    const findings = j.findings as Record<string, unknown>[];
    assert.equal(findings.length, 6);
    for (const f of findings) {
      assert.deepEqual(Object.keys(f).slice(0, 8), ['checkId', 'workload', 'outcome', 'severity', 'message', 'evidence', 'remediation', 'references']);
    }
    const cg = findings.find((f) => f.checkId === 'cgroup-v1-controller-missing')!;
    assert.deepEqual(cg.actions, [{ kind: 'kernel-cmdline', arg: 'systemd.unified_cgroup_hierarchy=1' }]);
    assert.ok(!('actions' in findings[0]!));
    // the profile requirement a finding judges is named, so consumers need not parse messages; check-level findings have none
    assert.equal(findings.find((f) => f.message === 'CONFIG_VETH is not set')?.requirement, 'veth');
    assert.ok(!('requirement' in cg));
  });

  it('round-trips: parsing the output gives back the same report data', () => {
    const r = sampleReport();
    assert.deepEqual(JSON.parse(renderJson(r)), JSON.parse(JSON.stringify(r)));
  });
});
