// Property tests for the nft parser: arbitrary input never throws anything but NftParseError (with line:col inside
// the input), and generated chain declarations are found again exactly, wherever they sit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRulesetText } from '../../src/nft/parse-ruleset.ts';
import { NftParseError } from '../../src/nft/parse-error.ts';
import { tokenize } from '../../src/nft/lexer.ts';

const NAME = '/p/ruleset.nft';

function onlyParseErrors(text: string): void {
  try {
    parseRulesetText(text, NAME);
  } catch (e) {
    if (!(e instanceof NftParseError)) throw e;
    assert.match(e.message, /^\/p\/ruleset\.nft:\d+:\d+: /);
    const lines = text.split('\n').length;
    assert.ok(e.line >= 1 && e.line <= lines, `line ${e.line} outside 1..${lines}`);
    assert.ok(e.col >= 1);
  }
}

const fragments = fc.constantFrom(
  'table', 'chain', 'add', 'create', 'ip', 'inet', 'netdev', 'bridge', 'type', 'filter', 'nat', 'route', 'hook',
  'input', 'postrouting', 'ingress', 'device', 'devices', '=', 'priority', 'mangle', '-', '+', '10', 'policy',
  'accept', 'define', 'undefine', '$x', 'x', '{', '}', ';', '\n', '\\\n', '#c\n', '"s"', '"', ',', 'include', '"./a"',
);

test('nft parser: arbitrary text never throws anything but NftParseError', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), onlyParseErrors), { numRuns: 500 });
});

test('nft parser: token soup of nft keywords never throws anything but NftParseError', () => {
  fc.assert(fc.property(fc.array(fragments, { maxLength: 80 }).map((a) => a.join(' ')), onlyParseErrors), { numRuns: 2000 });
});

const family = fc.constantFrom('ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev');
const ident = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/).filter((s) => !['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev', 'include', 'define'].includes(s));
const chainSpec = fc.record({
  name: ident,
  type: fc.constantFrom('filter', 'nat', 'route'),
  hook: fc.constantFrom('prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress', 'egress'),
  priority: fc.integer({ min: -1000, max: 1000 }),
  policy: fc.option(fc.constantFrom('accept', 'drop'), { nil: undefined }),
  rules: fc.array(fc.constantFrom('counter', 'ip saddr { 10.0.0.1, 10.0.0.2 } drop', 'tcp dport 22 accept comment "ssh; {x}"', 'jump other'), { maxLength: 3 }),
  singleLine: fc.boolean(),
});
const tableSpec = fc.record({ family, name: ident, chains: fc.array(chainSpec, { maxLength: 4 }), blockForm: fc.boolean() });

test('nft parser: generated tables and chains are found again with family, type, hook, priority and policy', () => {
  fc.assert(
    fc.property(fc.array(tableSpec, { maxLength: 4 }), (tables) => {
      const out: string[] = ['# generated'];
      const expected: string[] = [];
      for (const t of tables) {
        if (t.blockForm) out.push(`table ${t.family} ${t.name} {`);
        else out.push(`add table ${t.family} ${t.name}`);
        for (const c of t.chains) {
          const hook = `type ${c.type} hook ${c.hook}${c.hook === 'ingress' || c.hook === 'egress' ? ' device eth0' : ''} priority ${c.priority};`;
          const pol = c.policy === undefined ? '' : ` policy ${c.policy};`;
          const body = c.singleLine ? ` { ${hook}${pol} }` : ` {\n\t\t${hook}${pol}\n${c.rules.map((r) => `\t\t${r}\n`).join('')}\t}`;
          out.push(t.blockForm ? `\tchain ${c.name}${body}` : `add chain ${t.family} ${t.name} ${c.name}${body}`);
          expected.push(`${t.family} ${t.name} ${c.name} ${c.type} ${c.hook} ${c.priority} ${c.policy ?? '-'}`);
        }
        if (t.blockForm) out.push('}');
      }
      const r = parseRulesetText(out.join('\n') + '\n', NAME);
      const got = r.chains.map((c) => `${c.family} ${c.table} ${c.name} ${c.base?.type} ${c.base?.hook} ${c.base?.priority} ${c.policy ?? '-'}`);
      assert.deepEqual(got, expected);
    }),
    { numRuns: 300 },
  );
});

test('nft lexer: every token position points at its text in the input', () => {
  fc.assert(
    fc.property(fc.array(fragments, { maxLength: 60 }).map((a) => a.join(' ')), (text) => {
      let toks;
      try {
        toks = tokenize(text, NAME);
      } catch (e) {
        if (e instanceof NftParseError) return;
        throw e;
      }
      const lines = text.split('\n');
      for (const t of toks) {
        if (t.kind !== 'word') continue;
        assert.equal(lines[t.line - 1]?.slice(t.col - 1, t.col - 1 + t.text.length), t.text);
      }
    }),
    { numRuns: 1000 },
  );
});
