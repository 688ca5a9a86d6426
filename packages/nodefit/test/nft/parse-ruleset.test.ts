// The nft ruleset parser finds every chain declaration with its base-chain spec and location, across includes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseRulesetFile, parseRulesetText } from '../../src/nft/parse-ruleset.ts';
import { NftParseError } from '../../src/nft/parse-error.ts';

const FIX = path.join(import.meta.dirname, 'fixtures');

test('the reconstructed Submariner ruleset yields its route/postrouting chain at -160 with file:line:col', () => {
  const file = path.join(FIX, 'submariner-route-postrouting.nft');
  const r = parseRulesetFile(file);
  assert.equal(r.chains.length, 1);
  const c = r.chains[0]!;
  assert.equal(c.family, 'ip');
  assert.equal(c.table, 'submariner');
  assert.equal(c.name, 'SUBMARINER-POSTROUTING');
  assert.equal(c.form, 'block');
  assert.equal(c.policy, 'accept');
  assert.deepEqual({ type: c.base?.type, hook: c.base?.hook, priority: c.base?.priority, text: c.base?.priorityText }, { type: 'route', hook: 'postrouting', priority: -160, text: '-160' });
  assert.deepEqual(c.base?.at, { file, line: 9, col: 3 });
});

test('the knftables command form of the same chain is found at its type keyword', () => {
  const file = path.join(FIX, 'submariner-knftables-form.nft');
  const c = parseRulesetFile(file).chains;
  assert.deepEqual(
    c.map((x) => [x.family, x.table, x.name, x.form, x.base?.type, x.base?.hook, x.base?.priority, x.base?.at.line, x.base?.at.col]),
    [['ip', 'submariner', 'SUBMARINER-POSTROUTING', 'command', 'route', 'postrouting', -160, 4, 50]],
  );
});

test('defines, relative and glob includes (also inside a table block) and single-line add chain are followed', () => {
  const main = path.join(FIX, 'main-with-includes.nft');
  const r = parseRulesetFile(main);
  assert.deepEqual(
    r.files.map((f) => path.relative(FIX, f)),
    ['main-with-includes.nft', 'parts/filter-chains.nft', 'parts/nat-a.nft', 'parts/nat-b.nft'],
  );
  const summary = r.chains.map((c) => `${c.family} ${c.table} ${c.name} ${c.base?.type}/${c.base?.hook}@${c.base?.priority} ${path.relative(FIX, c.base!.at.file)}:${c.base!.at.line}`);
  assert.deepEqual(summary, [
    'inet edge input filter/input@0 parts/filter-chains.nft:2',
    'inet edge forward filter/forward@0 parts/filter-chains.nft:9',
    'ip nat postrouting nat/postrouting@105 parts/nat-a.nft:3',
    'ip nat fwd_nat nat/forward@undefined parts/nat-a.nft:7',
    'ip6 nat6 pre nat/prerouting@-250 parts/nat-b.nft:2',
    'netdev ingress_tbl early filter/ingress@-500 main-with-includes.nft:12',
  ]);
  const early = r.chains.find((c) => c.name === 'early')!;
  assert.deepEqual(early.base?.devices, ['lo']);
  assert.equal(early.form, 'command');
  // dstnat is only a valid name on prerouting: nft refuses it on forward
  assert.match(r.chains.find((c) => c.name === 'fwd_nat')!.base!.priorityError!, /dstnat.*forward/);
});

test('an include cycle is an error naming the cycle, at the include that closes it', () => {
  const a = path.join(FIX, 'cycle', 'a.nft');
  assert.throws(
    () => parseRulesetFile(a),
    (e: unknown) => e instanceof NftParseError && /include cycle: a\.nft -> b\.nft -> a\.nft/.test(e.message) && e.file.endsWith('b.nft') && e.line === 2 && e.col === 1,
  );
});

test('a missing include names the including file, line and column', () => {
  assert.throws(
    () => parseRulesetText('table ip t {\n  include "./nope.nft"\n}\n', '/r/main.nft'),
    (e: unknown) => e instanceof NftParseError && e.message.startsWith('/r/main.nft:2:3: include "./nope.nft": file not found'),
  );
});

test('named priorities with offsets evaluate per family', () => {
  const r = parseRulesetText(
    [
      'table ip a { chain m { type filter hook prerouting priority mangle - 10; } }',
      'table ip a { chain n { type filter hook input priority mangle-10; } }',
      'table ip a { chain o { type nat hook postrouting priority srcnat + 5; } }',
      'table bridge b { chain p { type filter hook prerouting priority dstnat; } }',
      'table bridge b { chain q { type filter hook output priority out; } }',
      'table inet c { chain r { type filter hook input priority raw; } }',
      'define P = -7',
      'table inet c { chain s { type filter hook input priority $P; } }',
    ].join('\n'),
  );
  assert.deepEqual(
    r.chains.map((c) => c.base?.priority),
    [-160, -160, 105, -300, 100, -300, -7],
  );
});

test('comments, strings with "#", line continuations and multi-line anonymous sets do not confuse the parser', () => {
  const text = [
    '# comment { with braces',
    'table inet f { # trailing comment }',
    '  chain c {',
    '    type filter hook input \\',
    '      priority 0; policy drop',
    '    meta l4proto tcp tcp dport { 22, # ssh',
    '        80 } accept comment "not # a comment {"',
    '  }',
    '  set s { type ipv4_addr; elements = { 1.1.1.1, 2.2.2.2 } }',
    '  chain plain { counter }',
    '}',
    'add rule inet f c ip saddr { 10.0.0.0/8 } drop',
    'add chain ip t c2 { type filter hook forward priority 0 ; }',
  ].join('\n');
  const r = parseRulesetText(text, '/x.nft');
  assert.deepEqual(
    r.chains.map((c) => [c.name, c.base?.hook ?? null, c.base?.priority ?? null, c.policy ?? null, c.base?.at.line ?? c.at.line]),
    [
      ['c', 'input', 0, 'drop', 4],
      ['plain', null, null, null, 10],
      ['c2', 'forward', 0, null, 13],
    ],
  );
});

test('hook ingress device forms: bare, quoted, variable and a device list', () => {
  const r = parseRulesetText(
    [
      'define DEVS = { eth0, eth1 }',
      'table netdev n {',
      '  chain a { type filter hook ingress device eth0 priority 0; }',
      '  chain b { type filter hook ingress device "eth1" priority 0; }',
      '  chain c { type filter hook egress devices = $DEVS priority 0; }',
      '  chain d { type filter hook ingress devices = { eth2, "eth3" } priority 0; }',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(
    r.chains.map((c) => c.base?.devices),
    [['eth0'], ['eth1'], ['eth0', 'eth1'], ['eth2', 'eth3']],
  );
});

test('an unclosed block and a stray "}" are parse errors with line:col', () => {
  assert.throws(
    () => parseRulesetText('table ip t {\n  chain c {\n    type filter hook input priority 0;\n', '/u.nft'),
    (e: unknown) => e instanceof NftParseError && /^\/u\.nft:2:11: chain c: '\{' is never closed$/.test(e.message),
  );
  assert.throws(
    () => parseRulesetText('flush ruleset\n}\n', '/s.nft'),
    (e: unknown) => e instanceof NftParseError && e.message === "/s.nft:2:1: unexpected '}' outside any block",
  );
  assert.throws(
    () => parseRulesetText('table ip t { comment "open\n}', '/q.nft'),
    (e: unknown) => e instanceof NftParseError && e.message === '/q.nft:1:22: unterminated string',
  );
});
