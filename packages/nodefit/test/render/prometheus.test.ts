// Prometheus text exposition parsed back with a small parser that follows the format rules (HELP/TYPE, label escaping).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderPrometheus } from '../../src/render/prometheus.ts';
import { finding, report, sampleReport } from './report-builder.ts';
import { parseExposition } from './validators.ts';

describe('prometheus renderer', () => {
  it('exposes findings and the summary as gauges with HELP and TYPE', () => {
    const p = parseExposition(renderPrometheus(sampleReport()));
    assert.equal(p.type.get('nodefit_finding'), 'gauge');
    assert.equal(p.type.get('nodefit_summary'), 'gauge');
    assert.ok(p.help.has('nodefit_finding'));
    const summary: Record<string, number> = Object.fromEntries(p.samples.filter((s) => s.name === 'nodefit_summary').map((s): [string, number] => [s.labels.outcome ?? '', s.value]));
    assert.deepEqual(summary, { fail: 2, warn: 1, unknown: 1, pass: 1, 'not-applicable': 1 });
    const cg = p.samples.find((s) => s.name === 'nodefit_finding' && s.labels.check_id === 'cgroup-v1-controller-missing')!;
    assert.deepEqual(cg.labels, { check_id: 'cgroup-v1-controller-missing', workload: 'kubelet', outcome: 'fail', severity: 'error' });
    assert.equal(cg.value, 1);
    const host = p.samples.find((s) => s.name === 'nodefit_finding' && s.labels.check_id === 'module-compression-support')!;
    assert.equal(host.labels.workload, '');
    const info = p.samples.find((s) => s.name === 'nodefit_info')!;
    assert.equal(info.labels.kernel_release, '6.12.117+deb12-amd64');
  });

  it('counts findings that share every label into one series', () => {
    const r = report([
      finding({ checkId: 'k', workload: 'w', outcome: 'fail' }),
      finding({ checkId: 'k', workload: 'w', outcome: 'fail' }),
      finding({ checkId: 'k', workload: 'w', outcome: 'pass' }),
    ]);
    const fs = parseExposition(renderPrometheus(r)).samples.filter((s) => s.name === 'nodefit_finding');
    assert.deepEqual(
      fs.map((s) => [s.labels.outcome, s.value]),
      [
        ['fail', 2],
        ['pass', 1],
      ],
    );
  });

  it('escapes label values so any workload id or kernel release parses back unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }), (w, rel) => {
        const p = parseExposition(renderPrometheus(report([finding({ checkId: 'c"\\', workload: w, outcome: 'fail' })], { kernelRelease: rel })));
        const f = p.samples.find((s) => s.name === 'nodefit_finding')!;
        assert.equal(f.labels.workload, w);
        assert.equal(f.labels.check_id, 'c"\\');
        assert.equal(p.samples.find((s) => s.name === 'nodefit_info')!.labels.kernel_release, rel);
      }),
      { numRuns: 300 },
    );
  });
});
