// Every renderer on reports the engine really produces: all workloads against each corpus config, read back by the
// rules of the tool that consumes each format (SARIF schema, JUnit parser, exposition parser, NFD label rules, ...).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { memoryIo } from '../../src/cli/io.ts';
import { runCli } from '../../src/cli/run.ts';
import type { Report } from '../../src/engine/report.ts';
import { FORMATS, npdExitCode, renderReport } from '../../src/render/index.ts';
import { NPD_MAX_OUTPUT } from '../../src/render/npd.ts';
import { corpusConfigs, need } from '../helpers/fixtures.ts';
import { parseExposition, parseFeatures, parseJunit, sarifValidator } from './validators.ts';

async function evaluated(config: string): Promise<Report> {
  const io = memoryIo();
  const code = await runCli(['check', '--kernel-config', config, '--format', 'json', '--fail-on', 'never'], io);
  assert.equal(code, 0, io.err);
  return JSON.parse(io.out) as Report;
}

describe('renderers on real evaluated reports', () => {
  it('render every corpus config in every format, and each output reads back consistently', async (t) => {
    const configs = corpusConfigs();
    if (!need(t, configs.length > 0, 'the kernel config corpus')) return;
    const validateSarif = sarifValidator();
    for (const config of configs) {
      const name = path.basename(config);
      const r = await evaluated(config);
      assert.ok(r.findings.length > 20, `${name}: only ${r.findings.length} findings`);
      const s = r.summary;
      const total = s.pass + s.fail + s.warn + s.unknown + s.notApplicable;

      const sarif = JSON.parse(renderReport(r, 'sarif', { color: false })) as Sarif.Log;
      const v = validateSarif(sarif);
      assert.ok(v.ok, `${name}: ${v.errors}`);
      assert.equal(sarif.runs[0]!.results!.length, total, name);

      const junit = parseJunit(renderReport(r, 'junit', { color: false })).testsuites;
      assert.equal(Number(junit['@_tests']), total, name);
      assert.equal(Number(junit['@_failures']), s.fail, name);
      assert.equal(Number(junit['@_skipped']), s.unknown + s.notApplicable, name);

      const prom = parseExposition(renderReport(r, 'prometheus', { color: false }));
      const findingsTotal = prom.samples.filter((x) => x.name === 'nodefit_finding').reduce((a, x) => a + x.value, 0);
      assert.equal(findingsTotal, total, name);

      const labels = parseFeatures(renderReport(r, 'nfd', { color: false }));
      assert.ok(labels.has('nodefit.dev/verdict'), name);

      const npd = renderReport(r, 'npd', { color: false });
      assert.match(npd, /^[\x20-\x7e]+\n$/, name);
      assert.ok(npd.length - 1 <= NPD_MAX_OUTPUT, name);
      assert.equal(npdExitCode(r) === 1, r.findings.some((f) => f.outcome === 'fail' && f.severity !== 'info'), name);

      const text = renderReport(r, 'text', { color: false });
      assert.ok(text.trimEnd().endsWith(`${s.fail} fail, ${s.warn} warn, ${s.unknown} unknown, ${s.pass} pass${s.notApplicable > 0 ? `, ${s.notApplicable} not applicable` : ''} on ${r.target.description}`), name);

      const html = renderReport(r, 'html', { color: false });
      assert.doesNotMatch(html, /<script|<link|<img|\ssrc=/i, name);
      for (const f of FORMATS) assert.ok(renderReport(r, f, { color: true }).length > 0);
    }
  });
});
