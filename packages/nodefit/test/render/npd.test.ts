// node-problem-detector plugin protocol: one short ASCII line and the exit code NPD reads as OK / problem / unknown.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NPD_MAX_OUTPUT, npdExitCode, renderNpd } from '../../src/render/npd.ts';
import { finding, report, sampleReport } from './report-builder.ts';

describe('npd renderer', () => {
  it('reports a problem (exit 1) with the count and the worst finding', () => {
    const r = sampleReport();
    assert.equal(npdExitCode(r), 1);
    const out = renderNpd(r);
    assert.ok(out.endsWith('\n') && !out.slice(0, -1).includes('\n'));
    assert.ok(out.length - 1 <= NPD_MAX_OUTPUT);
    assert.match(out, /^2 problems; kubelet: cpuset v1 controller is gone/);
  });

  it('is unknown (exit 2) when nothing fails but an error-severity check is undecided', () => {
    const r = report([finding({ checkId: 'a', outcome: 'pass' }), finding({ checkId: 'b', outcome: 'unknown', message: 'no module tree' })]);
    assert.equal(npdExitCode(r), 2);
    assert.equal(renderNpd(r), '1 undecided; b: no module tree\n');
  });

  it('is OK (exit 0) with only passes, warnings, info failures and unknown warnings', () => {
    const r = report([
      finding({ checkId: 'a', outcome: 'pass' }),
      finding({ checkId: 'b', outcome: 'warn', severity: 'warning' }),
      finding({ checkId: 'c', outcome: 'fail', severity: 'info' }),
      finding({ checkId: 'd', outcome: 'unknown', severity: 'warning' }),
    ]);
    assert.equal(npdExitCode(r), 0);
    assert.equal(renderNpd(r), 'OK: 1 pass, 1 warn, 1 unknown\n');
  });

  it('always prints one printable ASCII line of at most max_output_length characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom<'fail' | 'unknown' | 'pass'>('fail', 'unknown', 'pass'), (message, outcome) => {
        const out = renderNpd(report([finding({ checkId: 'x', outcome, message, workload: 'w' })]));
        assert.match(out, /^[\x20-\x7e]*\n$/);
        assert.ok(out.length - 1 <= NPD_MAX_OUTPUT);
      }),
      { numRuns: 300 },
    );
  });
});
