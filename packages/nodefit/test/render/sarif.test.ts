// SARIF output validated against the official SARIF 2.1.0 JSON schema (shipped in @microsoft/jest-sarif).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type * as Sarif from 'sarif';
import { renderSarif } from '../../src/render/sarif.ts';
import { finding, report, sampleReport } from './report-builder.ts';
import { sarifValidator } from './validators.ts';

describe('sarif renderer', () => {
  const validate = sarifValidator();

  it('produces a log the official SARIF 2.1.0 schema accepts', () => {
    const log = JSON.parse(renderSarif(sampleReport())) as unknown;
    const r = validate(log);
    assert.ok(r.ok, r.errors);
  });

  it('the schema check has teeth: a wrong level is rejected', () => {
    const log = JSON.parse(renderSarif(sampleReport())) as Sarif.Log;
    (log.runs[0]!.results![0] as { level: string }).level = 'fatal';
    assert.equal(validate(log).ok, false);
  });

  it('an empty report is still a valid log', () => {
    const r = validate(JSON.parse(renderSarif(report([]))));
    assert.ok(r.ok, r.errors);
  });

  it('has one rule per check id with helpUri and every reference, and levels from severity and outcome', () => {
    const log = JSON.parse(
      renderSarif(
        report([
          finding({ checkId: 'a', outcome: 'fail', severity: 'error', references: ['https://example.org/1'] }),
          finding({ checkId: 'a', workload: 'w', outcome: 'fail', severity: 'warning', references: ['https://example.org/2'] }),
          finding({ checkId: 'b', outcome: 'unknown', severity: 'error' }),
          finding({ checkId: 'c', outcome: 'pass' }),
          finding({ checkId: 'd', outcome: 'not-applicable' }),
          finding({ checkId: 'e', outcome: 'warn', severity: 'error' }),
        ]),
      ),
    ) as Sarif.Log;
    const run = log.runs[0]!;
    const rules = run.tool.driver.rules!;
    assert.deepEqual(
      rules.map((r) => r.id),
      ['a', 'b', 'c', 'd', 'e'],
    );
    assert.equal(rules[0]!.helpUri, 'https://example.org/1');
    assert.deepEqual(rules[0]!.properties!.references, ['https://example.org/1', 'https://example.org/2']);
    const res = run.results!;
    assert.deepEqual(
      res.map((r) => [r.kind, r.level]),
      [
        ['fail', 'error'],
        ['fail', 'warning'],
        ['review', 'note'],
        ['pass', 'none'],
        ['notApplicable', 'none'],
        ['fail', 'warning'],
      ],
    );
    assert.equal(res[1]!.locations![0]!.logicalLocations![0]!.fullyQualifiedName, 'workload/w');
    assert.equal(res[0]!.locations![0]!.logicalLocations![0]!.name, 'host');
    assert.deepEqual(
      run.logicalLocations!.map((l) => l.name),
      ['host', 'w'],
    );
  });

  it('carries evidence in result properties and the OS-specific fix in the message', () => {
    const log = JSON.parse(renderSarif(sampleReport({ os: { id: 'bottlerocket', versionId: '1.20.0' } }))) as Sarif.Log;
    const r = log.runs[0]!.results!.find((x) => x.ruleId === 'cgroup-v1-controller-missing')!;
    assert.deepEqual((r.properties!.evidence as unknown[])[0], {
      fact: 'kernel.config.CPUSETS_V1',
      value: 'not set',
      source: '/boot/config-6.12.117+deb12-amd64',
    });
    assert.match(r.message.text!, /Fix: Use a Bottlerocket variant with cgroup v2\./);
    const veth = log.runs[0]!.results!.find((x) => x.message.text === 'CONFIG_VETH is not set')!;
    assert.equal(veth.properties!.requirement, 'veth');
    assert.ok(!('requirement' in r.properties!));
  });
});
