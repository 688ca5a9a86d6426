// nft-lint's verdicts agree with the real `nft -c -f` (check mode: the kernel validates the batch, nothing is
// committed), run inside a network namespace the test creates with `unshare --net`, on a set of rulesets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintRuleset } from '../../src/nft/lint.ts';
import { parseRulesetFile } from '../../src/nft/parse-ruleset.ts';
import { targetVerdicts } from '../../src/nft/target-matrix.ts';
import { derivedNftCells } from '../../src/nft/derived-cells.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { findTool } from '../../src/probes/exec.ts';
import { checkProbePrivileges } from '../../src/probes/privileges.ts';
import { runInNewNamespaces } from '../../src/probes/netns-script.ts';
import { allNftCells, cellName, cellRuleset } from '../../src/probes/nft-cells.ts';
import { need, tempDir } from '../helpers/fixtures.ts';

const FIX = path.join(import.meta.dirname, 'fixtures');

/** hand-made edge cases around the rules nft-lint encodes (priorities, names per hook, families without a type). */
const CASES: Readonly<Record<string, string>> = {
  'nat-prio-200.nft': 'table ip t {\n\tchain c { type nat hook prerouting priority -200; }\n}\n',
  'nat-prio-199.nft': 'table ip t {\n\tchain c { type nat hook prerouting priority -199; }\n}\n',
  'nat-prio-named.nft': 'table ip6 t {\n\tchain c { type nat hook postrouting priority srcnat - 50; }\n}\n',
  'dstnat-on-output.nft': 'table ip t {\n\tchain c { type nat hook output priority dstnat; }\n}\n',
  'srcnat-on-input.nft': 'table inet t {\n\tchain c { type nat hook input priority srcnat; }\n}\n',
  'bridge-out.nft': 'table bridge t {\n\tchain c { type filter hook output priority out; }\n}\n',
  'bridge-out-on-input.nft': 'table bridge t {\n\tchain c { type filter hook input priority out; }\n}\n',
  'mangle-minus.nft': 'define P = -160\ntable ip t {\n\tchain a { type filter hook postrouting priority mangle - 10; }\n\tchain b { type route hook output priority $P; }\n}\n',
  'single-line-add.nft': 'add table inet t\nadd chain inet t c { type filter hook ingress device lo priority -500; policy accept; }\n',
  'mixed.nft': 'table ip a {\n\tchain ok { type filter hook input priority 0; }\n}\ntable ip b {\n\tchain bad { type nat hook forward priority 0; }\n}\n',
};

test('nft-lint and `nft -c -f` agree on every ruleset (matrix cells, edge cases, Submariner, includes)', (t) => {
  if (!need(t, checkProbePrivileges().ok && findTool('nft') !== null && findTool('unshare') !== null, 'root (CAP_SYS_ADMIN) with nft and unshare')) return;
  const dir = tempDir(t, 'nodefit-nftc-');
  const files: { file: string; cwd: string }[] = [];
  allNftCells().forEach((c, i) => {
    const f = path.join(dir, `cell-${cellName(c).replaceAll('/', '-')}.nft`);
    fs.writeFileSync(f, cellRuleset(c, i));
    files.push({ file: f, cwd: dir });
  });
  for (const [name, text] of Object.entries(CASES)) {
    fs.writeFileSync(path.join(dir, name), text);
    files.push({ file: path.join(dir, name), cwd: dir });
  }
  for (const f of ['submariner-route-postrouting.nft', 'submariner-knftables-form.nft', 'submariner-fixed.nft', 'main-with-includes.nft']) files.push({ file: path.join(FIX, f), cwd: FIX });

  // one namespace for all checks: nft -c commits nothing, so one file cannot influence the next
  const list = files.map((f, i) => `${i}\t${f.cwd}\t${f.file}`).join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'list.tsv'), list);
  const script = path.join(dir, 'check.sh');
  fs.writeFileSync(
    script,
    'while IFS="\t" read -r i cwd file; do (cd "$cwd" && nft -c -f "$file" >/dev/null 2>"$0.$i.err"); echo "$i $?"; done <"$1"\n',
  );
  const out = runInNewNamespaces(['--net'], script, [path.join(dir, 'list.tsv')]);
  assert.ok(out.ok, out.ok ? '' : out.reason);
  const rc = new Map(out.run.stdout.trim().split('\n').map((l) => l.split(' ').map(Number) as [number, number]));
  assert.equal(rc.size, files.length);

  return loadTarget({ base: { kind: 'live' } }).then((snap) => {
    const cells = targetVerdicts(snap.facts, derivedNftCells(snap.facts));
    const disagreements: string[] = [];
    files.forEach((f, i) => {
      const lint = lintRuleset(parseRulesetFile(f.file), cells);
      const nftOk = rc.get(i) === 0;
      const lintOk = lint.summary.fail === 0 && lint.summary.unknown === 0;
      if (nftOk !== lintOk) {
        const err = fs.existsSync(`${script}.${i}.err`) ? fs.readFileSync(`${script}.${i}.err`, 'utf8').split('\n').find((l) => l.includes('Error')) : '';
        disagreements.push(`${path.basename(f.file)}: nft -c ${nftOk ? 'accepts' : `refuses (${err ?? ''})`}, nft-lint ${lintOk ? 'accepts' : `refuses: ${lint.chains.filter((c) => c.outcome !== 'pass').map((c) => c.message).join(' | ')}`}`);
      }
    });
    assert.deepEqual(disagreements, []);
  });
});
