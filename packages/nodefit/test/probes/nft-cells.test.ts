// How a probe cell is written and how nft's own complaint is classified (kernel vs nft), from real nft 1.0.6 stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allNftCells, cellResult, cellRuleset, classifyNftError } from '../../src/probes/nft-cells.ts';

test('the matrix has 6 families × 3 types × 7 hooks, each cell a one-chain ruleset with a device only for ingress/egress', () => {
  const cells = allNftCells();
  assert.equal(cells.length, 126);
  assert.equal(new Set(cells.map((c) => `${c.family}/${c.type}/${c.hook}`)).size, 126);
  assert.equal(cellRuleset({ family: 'netdev', type: 'filter', hook: 'egress' }, 3), 'flush ruleset\ntable netdev nodefit_probe_3 {\n\tchain c {\n\t\ttype filter hook egress device lo priority 0;\n\t}\n}\n');
  assert.match(cellRuleset({ family: 'ip', type: 'nat', hook: 'input' }, 0), /type nat hook input priority 100;/);
});

test('"Could not process rule" is the kernel speaking; other errors are nft refusing before asking', () => {
  // stderr captured from nft 1.0.6 on kernel 6.18
  const kernel = '/tmp/x/cell-17.nft:2:8-8: Error: Could not process rule: Operation not supported\n\tchain c {\n\t      ^\n';
  assert.deepEqual(classifyNftError(kernel), { error: 'Could not process rule: Operation not supported', origin: 'kernel' });
  const nft = 'arpegress.nft:1:42-47: Error: The arp family does not support this hook\ntable arp t { chain c { type filter hook egress device lo priority 0; }\n                                         ^^^^^^\n';
  assert.deepEqual(classifyNftError(nft), { error: 'The arp family does not support this hook', origin: 'nft' });
  assert.deepEqual(cellResult({ family: 'ip', type: 'filter', hook: 'input' }, 0, ''), { family: 'ip', type: 'filter', hook: 'input', accepted: true });
  assert.equal(classifyNftError('').error, 'nft failed without a message');
});
