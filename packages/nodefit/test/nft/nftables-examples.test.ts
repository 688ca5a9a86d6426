// Real data: the example rulesets and /etc/nftables.conf shipped in Debian's nftables 1.0.6 package (fixture .deb).
// The parser must read every one, and for each file the real nft can load (in a throwaway network namespace), the
// base chains nodefit finds equal the ones nft created: family, table, name, type, hook, numeric priority, policy.
// nft-lint also finds the one chain in them that no kernel accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintRuleset } from '../../src/nft/lint.ts';
import { parseRulesetFile } from '../../src/nft/parse-ruleset.ts';
import { rulesVerdict } from '../../src/nft/target-matrix.ts';
import { findTool, runTool } from '../../src/probes/exec.ts';
import { checkProbePrivileges } from '../../src/probes/privileges.ts';
import { runInNewNamespaces } from '../../src/probes/netns-script.ts';
import { known, unknown } from '../../src/facts/fact.ts';
import { debFixture, need, tempDir } from '../helpers/fixtures.ts';

interface JsonChain {
  family: string;
  table: string;
  name: string;
  type?: string;
  hook?: string;
  prio?: number;
  policy?: string;
}

test('Debian nftables examples: parsed without error, base chains identical to what nft loads, one real rejection', (t) => {
  const deb = debFixture('nftables');
  if (!need(t, deb !== null && findTool('dpkg-deb') !== null, 'nftables .deb fixture and dpkg-deb')) return;
  const dir = tempDir(t, 'nodefit-nftex-');
  const x = runTool(findTool('dpkg-deb') as string, ['-x', deb!.path, dir]);
  assert.equal(x.status, 0, x.stderr);
  const exdir = path.join(dir, 'usr/share/doc/nftables/examples');
  const files = [...fs.readdirSync(exdir).filter((f) => f.endsWith('.nft')).sort().map((f) => path.join(exdir, f)), path.join(dir, 'etc/nftables.conf')];
  assert.ok(files.length >= 20, `only ${files.length} example files`);

  const facts = { kernel: { release: known('6.1.0', 'test'), version: unknown([], 't'), cmdline: unknown([], 't'), config: unknown([], 'not needed') } };
  const parsed = files.map((f) => parseRulesetFile(f));
  const failures = parsed.flatMap((p, i) =>
    lintRuleset(p, (fa, ty, h) => rulesVerdict(facts, fa, ty, h))
      .chains.filter((c) => c.outcome === 'fail')
      .map((c) => `${path.basename(files[i]!)}:${c.at.line}: ${c.family} ${c.table} ${c.chain} ${c.type}/${c.hook} ${String(c.priority)}`),
  );
  // a real catch: the shipped load_balancing.nft declares a nat chain at priority -300, which the kernel refuses
  // (checked by hand with nft -c -f in a throwaway namespace: "Could not process rule: Operation not supported")
  assert.deepEqual(failures, ['load_balancing.nft:13: ip nat prerouting nat/prerouting -300']);
  const total = parsed.reduce((n, p) => n + p.chains.filter((c) => c.base !== undefined).length, 0);
  assert.ok(total >= 40, `only ${total} base chains found in the examples`);

  if (!checkProbePrivileges().ok || findTool('nft') === null || findTool('unshare') === null) {
    console.log('# SKIP comparison with nft itself: needs root, nft and unshare');
    return;
  }
  const script = path.join(dir, 'load.sh');
  fs.writeFileSync(
    script,
    'n=0; for f in "$@"; do nft flush ruleset; if (cd "$(dirname "$f")" && nft -f "$f" 2>/dev/null); then nft -j list chains >"$f.chains.json"; fi; n=$((n+1)); done\n',
  );
  const out = runInNewNamespaces(['--net'], script, files);
  assert.ok(out.ok, out.ok ? '' : out.reason);
  let compared = 0;
  for (const [i, f] of files.entries()) {
    const listing = `${f}.chains.json`;
    if (!fs.existsSync(listing)) continue; // nft itself could not load it here (e.g. "Interface does not exist")
    const j = JSON.parse(fs.readFileSync(listing, 'utf8')) as { nftables: { chain?: JsonChain }[] };
    const fromNft = j.nftables
      .flatMap((e) => (e.chain?.type === undefined ? [] : [e.chain]))
      .map((c) => `${c.family} ${c.table} ${c.name} ${c.type} ${c.hook} ${c.prio} ${c.policy ?? 'accept'}`)
      .sort();
    const fromNodefit = parsed[i]!.chains.flatMap((c) =>
      c.base === undefined ? [] : [`${c.family} ${c.table} ${c.name} ${c.base.type} ${c.base.hook} ${c.base.priority} ${c.policy ?? 'accept'}`],
    );
    assert.deepEqual([...new Set(fromNodefit)].sort(), fromNft, path.basename(f));
    compared++;
  }
  assert.ok(compared >= 15, `only ${compared} files could be compared with nft`);
});
