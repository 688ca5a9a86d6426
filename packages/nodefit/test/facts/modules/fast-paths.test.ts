// The module-tree parsers were rewritten for speed (index scans, one regex for modules.alias, no Object.fromEntries):
// these properties pin them to the plain line-by-line reading they replaced, on arbitrary and on depmod-like text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldModuleName, moduleFileCompression, moduleFileKind, moduleNameFromPath } from '../../../src/facts/modules/module-name.ts';
import { parseModuleList, parseModulesAlias } from '../../../src/facts/modules/parse-module-indexes.ts';
import { parseModulesDep } from '../../../src/facts/modules/parse-modules-dep.ts';
import { indexText } from '../../../src/facts/modules/index-text.ts';
import { recordFromMap } from '../../../src/facts/modules/plain-record.ts';

/** The suffix table as kmod lists it, tried one by one: the obvious reading the fast name functions must match. */
const SUFFIXES = [
  ['.ko', 'none'],
  ['.ko.xz', 'xz'],
  ['.ko.gz', 'gzip'],
  ['.ko.zst', 'zstd'],
] as const;

function kindOracle(name: string): { stem: string; compression: string } | undefined {
  for (const [suffix, compression] of SUFFIXES) {
    if (name.length > suffix.length && name.endsWith(suffix)) return { stem: name.slice(0, name.length - suffix.length), compression };
  }
  return undefined;
}

function nameOracle(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return foldModuleName(kindOracle(base)?.stem ?? base);
}

/** modules.alias read line by line: "alias <pattern> <module>", literal patterns only, first-seen order, no repeats. */
function aliasOracle(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('alias ')) continue;
    const sp = line.indexOf(' ', 6);
    if (sp === -1) continue;
    const alias = line.slice(6, sp);
    if (alias === '' || /[*?[]/.test(alias)) continue;
    const mod = line.slice(sp + 1).trim();
    if (mod === '' || mod.includes(' ') || mod.includes('\t')) continue;
    const list = out.get(alias) ?? [];
    if (!list.includes(foldModuleName(mod))) list.push(foldModuleName(mod));
    out.set(alias, list);
  }
  return out;
}

/** modules.dep read line by line, first line per name wins, as kmod's index does. */
function depOracle(text: string): { deps: Map<string, string[]>; paths: Map<string, string>; malformed: number } {
  const deps = new Map<string, string[]>();
  const paths = new Map<string, string>();
  let malformed = 0;
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const path = colon === -1 ? '' : line.slice(0, colon).trim();
    if (path === '' || /[ \t]/.test(path)) {
      malformed++;
      continue;
    }
    const name = nameOracle(path);
    if (deps.has(name)) continue;
    const words = line
      .slice(colon + 1)
      .split(' ')
      .map((w) => (w.includes('\t') ? w.trim() : w))
      .filter((w) => w !== '');
    deps.set(name, words.map(nameOracle));
    paths.set(name, path);
  }
  return { deps, paths, malformed };
}

/** Own keys and values in order, so "__proto__" and key order are compared too. */
const entries = (r: object): Array<[string, unknown]> => Object.keys(r).map((k) => [k, Object.getOwnPropertyDescriptor(r, k)?.value]);

// names and paths that exercise the suffix edges: ".ko" alone, double suffixes, dashes, directories named like modules
const nameChar = fc.constantFrom('a', 'b', '-', '_', '.', 'k', 'o', 'x', 'z', 'g', 's', 't', '/', ' ', '\t', '*', '?', '[', ':', '\r');
const trickyName = fc.oneof(
  fc.string({ unit: nameChar, maxLength: 16 }),
  fc.tuple(fc.string({ unit: nameChar, maxLength: 8 }), fc.constantFrom('.ko', '.ko.xz', '.ko.gz', '.ko.zst', '.ko.bz2', '.ko.ko', '.k', '')).map(([a, b]) => a + b),
  fc.constantFrom('__proto__.ko', 'constructor.ko.xz', 'toString', '123.ko', '.ko', 'a/.ko', '.ko/x.ko'),
);

test('module names and compression from file names match the suffix table tried one by one (property)', () => {
  fc.assert(
    fc.property(fc.oneof(trickyName, fc.string({ maxLength: 30 })), (s) => {
      assert.deepEqual(moduleFileKind(s), kindOracle(s));
      assert.equal(moduleNameFromPath(s), nameOracle(s));
      assert.equal(moduleFileCompression(s), kindOracle(s.slice(s.lastIndexOf('/') + 1))?.compression);
    }),
    { numRuns: 2000 },
  );
});

test('modules.alias: the single-regex scan equals a line-by-line reading (property)', () => {
  const word = fc.oneof(trickyName, fc.constantFrom('fs-overlay', 'net-pf-10', 'pci:v*d*', 'x', '__proto__', 'constructor', '12', ''));
  const line = fc.oneof(
    fc.tuple(word, fc.constantFrom(' ', '  ', '\t', ' \r'), word, fc.constantFrom('', ' ', '\r', ' x')).map(([a, s, m, e]) => `alias ${a}${s}${m}${e}`),
    fc.string({ unit: nameChar, maxLength: 20 }),
    fc.constantFrom('# Aliases extracted from modules themselves.', 'alias', 'alias ', 'aliasx y z', ' alias a b', 'alias a\nb c'),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, nl, trailing) => {
      const text = lines.join(nl) + (trailing ? nl : '');
      assert.deepEqual(entries(parseModulesAlias(text)), entries(recordFromMap(aliasOracle(text))));
    }),
    { numRuns: 1000 },
  );
});

test('modules.dep: the fast parser equals a line-by-line reading, names, order and malformed count included (property)', () => {
  const path = fc.oneof(trickyName, fc.constantFrom('kernel/a/__proto__.ko', 'kernel/a/constructor.ko', 'updates/x-y.ko', 'kernel/x_y.ko.xz'));
  const line = fc.oneof(
    fc.tuple(fc.constantFrom('', ' ', '\t'), path, fc.constantFrom(':', ': ', ' :', ':\t'), fc.array(path, { maxLength: 4 }), fc.constantFrom(' ', '  ', '\t ')).map(
      ([lead, p, colon, ds, sep]) => `${lead}${p}${colon}${ds.join(sep)}`,
    ),
    fc.string({ unit: nameChar, maxLength: 20 }),
    fc.constantFrom('# comment', '', '   ', 'no colon', ': empty path', '\r'),
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), (lines, nl) => {
      const text = lines.join(nl);
      const got = parseModulesDep(text);
      const want = depOracle(text);
      assert.deepEqual(entries(got.deps), entries(recordFromMap(want.deps)));
      assert.deepEqual([...got.paths], [...want.paths]);
      assert.equal(got.malformedLines, want.malformed);
    }),
    { numRuns: 1000 },
  );
});

test('modules.order / modules.builtin: names in file order without repeats, CR line ends and blanks ignored (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(trickyName, fc.constantFrom('#x', '', ' ', '\r')), { maxLength: 20 }), fc.constantFrom('\n', '\r\n'), (lines, nl) => {
      const want = [...new Set(lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).map(nameOracle))];
      assert.deepEqual(parseModuleList(lines.join(nl)), want);
    }),
  );
});

test('a module named __proto__ is an own key like any other, not a prototype change', () => {
  // hand-made: no real tree has such a module; the snapshot comes from untrusted agents, so the edge is pinned
  const d = parseModulesDep('kernel/__proto__.ko: kernel/constructor.ko\nkernel/constructor.ko:\n');
  assert.deepEqual(Object.keys(d.deps), ['__proto__', 'constructor']);
  assert.deepEqual(Object.getOwnPropertyDescriptor(d.deps, '__proto__')?.value, ['constructor']);
  assert.equal(Object.getPrototypeOf(d.deps), Object.prototype);
  const a = parseModulesAlias('alias __proto__ x\nalias toString y\nalias toString z\n');
  assert.deepEqual(entries(a), [
    ['__proto__', ['x']],
    ['toString', ['y', 'z']],
  ]);
});

test('index files decode exactly as UTF-8, whether or not they are ASCII (property)', () => {
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.string({ maxLength: 64 }).map((x) => new Uint8Array(Buffer.from(x)))), (bytes) => {
      const b = Buffer.from(bytes);
      assert.equal(indexText(b), b.toString('utf8'));
    }),
  );
});
