// The diff engine on hand-built reports (so it is tested without the KB): classification, moved facts, --fail-on
// gating, and the four output forms (text order, json contract, SARIF against the official schema, JUnit parsed back).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { XMLParser } from 'fast-xml-parser';
import { diffReports, diffTrips } from '../../../src/engine/diff/compute-diff.ts';
import { renderDiffText } from '../../../src/engine/diff/render-diff-text.ts';
import { diffSarifLog } from '../../../src/engine/diff/render-diff-sarif.ts';
import { renderDiffJunit } from '../../../src/engine/diff/render-diff-junit.ts';
import { finding, report } from '../../render/report-builder.ts';

// hand-made: the shape of a Debian 6.1 → 6.12 upgrade, one of each kind of change
const cgroupsBefore = { value: ['cpu', 'cpuset', 'memory'], reason: 'CONFIG_CPUSETS=y, CONFIG_MEMCG=y' };
const cgroupsAfter = { value: ['cpu'], reason: 'CONFIG_CPUSETS_V1 is not set; CONFIG_MEMCG_V1 is not set' };
const before = report(
  [
    finding({ checkId: 'cgroup-v1-controller-missing', workload: 'kata-containers', outcome: 'pass', severity: 'warning', message: 'cpuset available', evidence: [{ fact: 'capabilities.cgroupV1Controllers', value: 'cpu cpuset memory', source: 'config' }] }),
    finding({ checkId: 'module-compression-support', workload: 'cilium', outcome: 'pass', message: 'modules are uncompressed', evidence: [{ fact: 'modules.files.iptable_raw', value: 'kernel/net/ipv4/netfilter/iptable_raw.ko', source: 'walk' }] }),
    finding({ checkId: 'iptables-backend-mismatch', workload: 'calico', outcome: 'fail', message: 'legacy xtables missing', evidence: [{ fact: 'kernel.config.IP_NF_IPTABLES', value: 'n', source: 'config' }] }),
    finding({ checkId: 'kernel-option', workload: 'containerd', outcome: 'pass', message: 'OVERLAY_FS set' }),
    finding({ checkId: 'binfmt-registration-lifetime', workload: 'qemu-binfmt', outcome: 'pass', message: 'registrations survive' }),
  ],
  { kernelRelease: '6.1.0-56-amd64', capabilities: { cgroupV1Controllers: cgroupsBefore, moduleCompression: { value: 'none', reason: 'files' } } },
);
const after = report(
  [
    finding({ checkId: 'cgroup-v1-controller-missing', workload: 'kata-containers', outcome: 'fail', severity: 'warning', message: 'cpuset missing', evidence: [{ fact: 'capabilities.cgroupV1Controllers', value: 'cpu', source: 'config' }, { fact: 'kernel.config.CPUSETS_V1', value: 'n', source: 'config' }] }),
    finding({ checkId: 'module-compression-support', workload: 'cilium', outcome: 'warn', severity: 'error', message: 'modules are xz', evidence: [{ fact: 'modules.files.iptable_raw', value: 'kernel/net/ipv4/netfilter/iptable_raw.ko.xz', source: 'walk' }] }),
    finding({ checkId: 'iptables-backend-mismatch', workload: 'calico', outcome: 'pass', message: 'legacy xtables present', evidence: [{ fact: 'kernel.config.IP_NF_IPTABLES', value: 'm', source: 'config' }] }),
    finding({ checkId: 'kernel-option', workload: 'containerd', outcome: 'pass', message: 'OVERLAY_FS set' }),
    finding({ checkId: 'binfmt-registration-lifetime', workload: 'qemu-binfmt', outcome: 'unknown', message: 'whether binfmt_misc stays mounted is unknown' }),
  ],
  { kernelRelease: '6.12.117+deb12-amd64', capabilities: { cgroupV1Controllers: cgroupsAfter, moduleCompression: { value: 'xz', reason: 'files' } } },
);

describe('diffReports', () => {
  const d = diffReports(before, after, 'error', {
    before: (f) => (f === 'kernel.config.CPUSETS_V1' ? '(absent)' : undefined),
    after: () => undefined,
  });

  it('classifies new failures, fixes, other moves and unchanged findings per workload', () => {
    const status: Record<string, string> = Object.fromEntries(d.workloads.map((w) => [w.workload ?? 'host', w.status] as const));
    assert.deepEqual(status, { 'kata-containers': 'breaks', cilium: 'breaks', calico: 'fixed', 'qemu-binfmt': 'changed', containerd: 'unchanged' });
    assert.deepEqual(d.summary, { newFailures: 2, fixed: 1, changed: 1, unchanged: 1, workloadsBroken: 2, workloadsFixed: 1 });
    assert.deepEqual(d.workloads.map((w) => w.status), ['breaks', 'breaks', 'fixed', 'changed', 'unchanged'], 'new failures first');
  });

  it('names the facts that moved for each change, looking up facts only one side cites', () => {
    const kata = d.workloads.find((w) => w.workload === 'kata-containers')!.newFailures[0]!;
    assert.deepEqual(
      kata.movedFacts.map((m) => `${m.fact}: ${m.before} → ${m.after}`),
      ['capabilities.cgroupV1Controllers: cpu cpuset memory → cpu', 'kernel.config.CPUSETS_V1: (absent) → n'],
    );
    const cilium = d.workloads.find((w) => w.workload === 'cilium')!.newFailures[0]!;
    assert.deepEqual(cilium.movedFacts[0], {
      fact: 'modules.files.iptable_raw',
      before: 'kernel/net/ipv4/netfilter/iptable_raw.ko',
      after: 'kernel/net/ipv4/netfilter/iptable_raw.ko.xz',
      beforeSource: 'walk',
      afterSource: 'walk',
    });
    assert.deepEqual(
      d.facts.map((f) => f.fact),
      ['kernel.release', 'capabilities.cgroupV1Controllers', 'capabilities.moduleCompression'],
    );
  });

  it('trips --fail-on only for new failures at or above the level', () => {
    // kata fails at warning severity; cilium warns with error severity: both are warning-level
    assert.equal(diffTrips(d), false, 'nothing error-level is new');
    assert.equal(diffTrips(diffReports(before, after, 'warning')), true);
    assert.equal(diffTrips(diffReports(before, after, 'never')), false);
    // an identical target never trips, even with failures present on both sides
    const same = diffReports(after, after, 'warning');
    assert.equal(diffTrips(same), false);
    assert.equal(same.summary.newFailures, 0);
    assert.ok(same.workloads.every((w) => w.status === 'unchanged'));
  });

  it('a finding that becomes unknown is a change, not a fix: the after side cannot tell', () => {
    // hand-made: a live host with swap on, then a kernel package (no /proc/swaps to read)
    const live = report([finding({ checkId: 'swap', workload: 'kubelet', outcome: 'warn', severity: 'warning', message: 'swap is on (/swap.img)' })]);
    const pkg = report([finding({ checkId: 'swap', workload: 'kubelet', outcome: 'unknown', severity: 'warning', message: 'swap unknown (offline target)' })]);
    const d = diffReports(live, pkg, 'warning');
    const kubelet = d.workloads.find((w) => w.workload === 'kubelet');
    assert.equal(kubelet?.status, 'changed');
    assert.equal(kubelet.fixed.length, 0);
    assert.equal(d.summary.fixed, 0);
    // the other way round it trips the gate: nothing said it passed before
    assert.equal(diffTrips(diffReports(pkg, live, 'warning')), true);
  });

  it('pairs repeated findings of one check by message, so reordering is not a change', () => {
    const f1 = finding({ checkId: 'kernel-option', workload: 'cilium', outcome: 'fail', message: 'A missing' });
    const f2 = finding({ checkId: 'kernel-option', workload: 'cilium', outcome: 'pass', message: 'B set' });
    const r = diffReports(report([f1, f2]), report([f2, f1]), 'warning');
    assert.equal(r.summary.unchanged, 2);
    assert.equal(r.summary.newFailures, 0);
  });
});

describe('diff renderers', () => {
  const d = diffReports(before, after, 'warning');

  it('text: broken workloads first, each new failure with its moved facts; unchanged ones only named', () => {
    const text = renderDiffText(d);
    const kata = text.indexOf('kata-containers: BREAKS');
    const calico = text.indexOf('calico: FIXED');
    assert.ok(kata >= 0 && calico > kata);
    assert.match(text, /✗ new cgroup-v1-controller-missing: pass → fail \[warning\]\n {6}cpuset missing\n {6}moved: capabilities\.cgroupV1Controllers: cpu cpuset memory → cpu/);
    assert.match(text, /unchanged: containerd\n/);
    // a workload whose new findings only warn is at risk, not broken
    assert.match(text, /^cilium: AT RISK \(0 new failure\(s\), 1 new warning\(s\), /m);
    assert.match(text, /! new module-compression-support: pass → warn \[error\]/);
    assert.match(text, /^kata-containers: BREAKS \(1 new failure\(s\), 0 new warning\(s\), /m);
    assert.match(text, /1 new failure\(s\) and 1 new warning\(s\) in 2 workload\(s\), 1 fixed, 1 changed, 1 unchanged\n$/);
    assert.ok(!text.includes('\u001b['), 'no colour unless asked');
  });

  it('json: the documented top-level fields, stable order', () => {
    const j = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j), ['schemaVersion', 'kind', 'tool', 'before', 'after', 'facts', 'summary', 'workloads']);
  });

  it('sarif: valid against the official 2.1.0 schema, with baselineState per change', (t) => {
    const require = createRequire(import.meta.url);
    let schemaPath: string;
    let Ajv04: new (o: object) => { addFormat(n: string, f: (s: string) => boolean): unknown; compile(s: object): ((d: unknown) => boolean) & { errors?: unknown }; errorsText(e: unknown): string };
    try {
      schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
      Ajv04 = require('ajv-draft-04') as typeof Ajv04;
    } catch {
      t.skip('the SARIF schema package (@microsoft/jest-sarif) is not installed');
      return;
    }
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'http://base.invalid/'));
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object);
    const log = diffSarifLog(d);
    assert.ok(validate(JSON.parse(JSON.stringify(log))), ajv.errorsText(validate.errors));
    const states = log.runs[0]!.results!.map((r) => `${r.ruleId}:${r.baselineState}`);
    assert.deepEqual(states.sort(), ['binfmt-registration-lifetime:updated', 'cgroup-v1-controller-missing:new', 'iptables-backend-mismatch:absent', 'module-compression-support:new']);
  });

  it('junit: parses back; new failures are <failure> elements with the moved facts', () => {
    const xml = renderDiffJunit(d);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { failures: string; testsuite: Array<{ name: string; failures: string; testcase: unknown }> };
    };
    assert.equal(parsed.testsuites.failures, '2');
    const kata = parsed.testsuites.testsuite.find((s) => s.name === 'kata-containers')!;
    assert.equal(kata.failures, '1');
    assert.match(JSON.stringify(kata.testcase), /moved: capabilities.cgroupV1Controllers: cpu cpuset memory → cpu/);
  });
});
