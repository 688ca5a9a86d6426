// nft-lint's verdicts against kernels from the real config corpus: what each kernel will refuse, and the fix offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { lintRuleset } from '../../src/nft/lint.ts';
import { parseRulesetFile, parseRulesetText } from '../../src/nft/parse-ruleset.ts';
import { rulesVerdict, targetVerdicts } from '../../src/nft/target-matrix.ts';
import { readKernelConfigFile } from '../../src/facts/kernel/collect.ts';
import { known, unknown } from '../../src/facts/fact.ts';
import type { KernelFacts } from '../../src/facts/kernel/schema.ts';
import { KERNEL_CONFIGS_DIR, need } from '../helpers/fixtures.ts';
import * as fs from 'node:fs';

const FIX = path.join(import.meta.dirname, 'fixtures');

function kernelFrom(configFile: string, release: string): { kernel: KernelFacts } {
  return {
    kernel: {
      release: known(release, 'test'),
      version: unknown([], 'test'),
      cmdline: unknown([], 'test'),
      config: readKernelConfigFile(configFile),
    },
  };
}

const cfg = (name: string) => path.join(KERNEL_CONFIGS_DIR, name);

test('Submariner (reconstructed): route/postrouting is rejected on every kernel, with the filter-chain alternative', (t) => {
  if (!need(t, fs.existsSync(cfg('talos-6.18.45.config')), 'kernel config corpus')) return;
  for (const [file, rel] of [
    ['talos-6.18.45.config', '6.18.45'],
    ['debian12-6.1.159-1.config', '6.1.159'],
    ['rhel9-5.14.0-362.24.1.el9_3.config', '5.14.0-362.24.1.el9_3.x86_64'],
  ] as const) {
    const facts = kernelFrom(cfg(file), rel);
    const r = lintRuleset(parseRulesetFile(path.join(FIX, 'submariner-route-postrouting.nft')), (f, ty, h) => rulesVerdict(facts, f, ty, h));
    assert.equal(r.summary.fail, 1, file);
    const c = r.chains[0]!;
    assert.equal(c.verdict, 'rejected');
    assert.deepEqual([c.at.line, c.at.col], [9, 3]);
    assert.match(c.message, /route chains exist only on the output hook/);
    assert.match(c.alternative!, /type filter hook postrouting priority mangle/);
    assert.match(c.alternative!, /route chains belong on output/);
  }
  const fixed = lintRuleset(parseRulesetFile(path.join(FIX, 'submariner-fixed.nft')), (f, ty, h) => rulesVerdict(kernelFrom(cfg('debian12-6.1.159-1.config'), '6.1.159'), f, ty, h));
  assert.deepEqual(fixed.summary, { pass: 1, fail: 0, unknown: 0 });
});

test('version- and config-gated cells: inet ingress on 4.19, netdev egress on 5.10 and without NETFILTER_EGRESS', (t) => {
  if (!need(t, fs.existsSync(cfg('debian10-4.19.249.config')), 'kernel config corpus')) return;
  const text = [
    'table inet f { chain ing { type filter hook ingress device "eth0" priority 0; } }',
    'table netdev n { chain eg { type filter hook egress device eth0 priority 0; } }',
    'table inet f { chain nat_out { type nat hook output priority dstnat; } }',
  ].join('\n');
  const verdicts = (config: string, rel: string) => {
    const facts = kernelFrom(cfg(config), rel);
    return lintRuleset(parseRulesetText(text, '/r.nft'), (f, ty, h) => rulesVerdict(facts, f, ty, h)).chains.map((c) => `${c.chain}:${c.verdict}`);
  };
  // inet nat needs 5.2; on newer kernels nft 1.0.6 still refuses "dstnat" as a priority name on output
  assert.deepEqual(verdicts('debian10-4.19.249.config', '4.19.249'), ['ing:unsupported', 'eg:unsupported', 'nat_out:unsupported']);
  assert.deepEqual(verdicts('debian11-5.10.223-1.config', '5.10.223'), ['ing:accepted', 'eg:unsupported', 'nat_out:rejected']);
  assert.deepEqual(verdicts('debian13-6.12.63-1.config', '6.12.63'), ['ing:accepted', 'eg:accepted', 'nat_out:rejected']);
});

test('nat priority at or below -200 fails on any kernel and says the priority must be above -200', () => {
  const facts = { kernel: { release: known('6.18.0', 't'), version: unknown([], 't'), cmdline: unknown([], 't'), config: unknown([], 'no config') } };
  const r = lintRuleset(parseRulesetText('table ip nat { chain pre { type nat hook prerouting priority -200; } }\n', '/n.nft'), (f, ty, h) => rulesVerdict(facts, f, ty, h));
  assert.equal(r.chains[0]!.outcome, 'fail');
  assert.match(r.chains[0]!.message, /priority above -200, this one is -200/);
  assert.match(r.chains[0]!.alternative!, /must be > -200/);
});

test('a probe in the snapshot decides over the static rules, and an unknown config gives unknown, not a failure', () => {
  const noConfig = { kernel: { release: known('6.1.0', 't'), version: unknown([], 't'), cmdline: unknown([], 't'), config: unknown(['/proc/config.gz'], 'absent') } };
  const parsed = parseRulesetText('table netdev n { chain eg { type filter hook egress device eth0 priority 0; } }\n', '/e.nft');
  const r1 = lintRuleset(parsed, targetVerdicts({ ...noConfig, probes: undefined }));
  assert.equal(r1.chains[0]!.outcome, 'unknown');
  const probes = { nftChains: known([{ family: 'netdev', type: 'filter', hook: 'egress', accepted: false, error: 'Could not process rule: Operation not supported', origin: 'kernel' as const }], 'probe') };
  const r2 = lintRuleset(parsed, targetVerdicts({ ...noConfig, probes }));
  assert.equal(r2.chains[0]!.outcome, 'fail');
  assert.equal(r2.chains[0]!.evidenceSource, 'probe');
  assert.match(r2.chains[0]!.message, /Operation not supported/);
});
