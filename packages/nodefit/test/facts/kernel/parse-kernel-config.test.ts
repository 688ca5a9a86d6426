import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { countOptionStates, parseKernelConfig, renderKernelConfig } from '../../../src/facts/kernel/parse-kernel-config.ts';
import { corpusConfigs, KERNEL_CONFIGS_DIR, need } from '../../helpers/fixtures.ts';
import { kernelConfigByLines } from '../../helpers/kernel-config-by-lines.ts';

interface SourceRow {
  file: string;
  header: string;
  set: number;
  unset: number;
}

/** The main table of SOURCES.md: | file | distro | kernel | repository | path | commit | commit date | header | set | unset | sha256 | notes | */
function sourceRows(): Map<string, SourceRow> {
  const text = fs.readFileSync(path.join(KERNEL_CONFIGS_DIR, 'SOURCES.md'), 'utf8');
  const rows = new Map<string, SourceRow>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('| ')) continue;
    const cells = line.split('|').map((c) => c.trim());
    // cells[0] is the empty string before the first pipe; the fragments table has fewer columns and is skipped
    if (cells.length < 13) continue;
    const file = cells[1] as string;
    if (!file.endsWith('.config') || !/^\d+$/.test(cells[9] as string)) continue;
    rows.set(file, { file, header: cells[8] as string, set: Number(cells[9]), unset: Number(cells[10]) });
  }
  return rows;
}

test('every corpus config parses with the set / "is not set" counts SOURCES.md gives, and its header', (t) => {
  const files = corpusConfigs();
  if (!need(t, files.length > 0, 'the kernel config corpus')) return;
  const rows = sourceRows();
  assert.ok(rows.size >= 50, `SOURCES.md table has ${rows.size} rows`);
  // every row names a file that exists, and every file has a row
  assert.deepEqual([...rows.keys()].sort(), files.map((f) => path.basename(f)).sort());
  for (const f of files) {
    const row = rows.get(path.basename(f)) as SourceRow;
    const cfg = parseKernelConfig(fs.readFileSync(f, 'utf8'));
    const counts = countOptionStates(cfg);
    assert.deepEqual({ file: row.file, ...counts }, { file: row.file, set: row.set, notSet: row.unset });
    assert.equal(cfg.malformedLines, 0, `${row.file} has malformed lines`);
    const m = /^Linux\/\S+ (\S+) Kernel Configuration$/.exec(row.header);
    assert.equal(cfg.headerVersion, m === null ? undefined : m[1], `${row.file} header`);
  }
});

test('corpus configs keep "is not set" distinct from absent (Bottlerocket 6.1 module compression)', (t) => {
  const f = path.join(KERNEL_CONFIGS_DIR, 'bottlerocket-6.1.163.config');
  if (!need(t, fs.existsSync(f), 'bottlerocket-6.1.163.config from the corpus')) return;
  const cfg = parseKernelConfig(fs.readFileSync(f, 'utf8'));
  // Bottlerocket 1.20 switched modules to gzip (incidents.md case 1): GZIP=y, NONE explicitly not set
  assert.equal(cfg.options.get('MODULE_COMPRESS_GZIP'), 'y');
  assert.equal(cfg.options.get('MODULE_COMPRESS_NONE'), 'n');
  assert.equal(cfg.options.get('THIS_OPTION_DOES_NOT_EXIST'), undefined);
  assert.equal(cfg.options.get('MODULES'), 'y');
});

test('fragments parse without malformed lines (they are partial configs, so no counts are checked)', (t) => {
  const dir = path.join(KERNEL_CONFIGS_DIR, 'fragments');
  if (!need(t, fs.existsSync(dir), 'corpus fragments/')) return;
  for (const name of fs.readdirSync(dir)) {
    const cfg = parseKernelConfig(fs.readFileSync(path.join(dir, name), 'utf8'));
    assert.ok(cfg.options.size > 0, `${name} has options`);
    assert.equal(cfg.malformedLines, 0, `${name} malformed lines`);
  }
});

test('garbage lines are counted as malformed, not fatal, and do not hide valid options', () => {
  // hand-made: a config damaged in transit (binary junk, a stray shell line, a half-written option)
  const cfg = parseKernelConfig(
    ['# Linux/x86 6.1.0 Kernel Configuration', 'CONFIG_MODULES=y', 'garbage here', '\u0000\u0001\u00ff', 'CONFIG_=y', 'CONFIG_BAD NAME=y', 'CONFIG_NO_EQUALS', '# CONFIG_IKCONFIG is not set', '   ', 'CONFIG_LOCALVERSION="-x"', 'CONFIG_LAST=m'].join(
      '\r\n',
    ),
  );
  assert.equal(cfg.malformedLines, 5);
  assert.deepEqual([...cfg.options], [['MODULES', 'y'], ['IKCONFIG', 'n'], ['LOCALVERSION', '"-x"'], ['LAST', 'm']]);
  assert.equal(cfg.headerVersion, '6.1.0');
});

test('a later line for the same option wins, as when Kconfig reads the file', () => {
  assert.deepEqual([...parseKernelConfig('CONFIG_A=y\n# CONFIG_A is not set\n').options], [['A', 'n']]);
  assert.deepEqual([...parseKernelConfig('# CONFIG_A is not set\nCONFIG_A=m\n').options], [['A', 'm']]);
});

const symbol = fc.stringMatching(/^[A-Z0-9_]{1,20}$/);
const value = fc.oneof(fc.constantFrom('y', 'm', 'n'), fc.integer({ min: -5, max: 99999 }).map(String), fc.string({ maxLength: 20 }).filter((s) => !/[\r\n]/.test(s)).map((s) => JSON.stringify(s)));

test('parseKernelConfig never throws and counts every line once (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (text) => {
      const cfg = parseKernelConfig(text);
      assert.ok(cfg.malformedLines >= 0);
      assert.ok(cfg.malformedLines <= text.split('\n').length);
    }),
  );
});

/** Line soup built from the forms Kconfig writes, near-misses of them, and the separators that trip an index walk. */
const configLine = fc.oneof(
  fc.tuple(symbol, value).map(([n, v]) => `CONFIG_${n}=${v}`),
  symbol.map((n) => `# CONFIG_${n} is not set`),
  fc.tuple(symbol, fc.string({ maxLength: 8 })).map(([n, tail]) => `# CONFIG_${n} is not set${tail}`),
  fc.constantFrom('# Linux/x86 6.1.0 Kernel Configuration', '# Linux/arm64 6.12.0 Kernel Configuration x', '#', '', ' ', '\r', 'CONFIG_', 'CONFIG_A', 'CONFIG_=y', 'CONFIG_A B=y', '# CONFIG_', '# CONFIG_A is not', 'CONFIG_A=y=z', '# CONFIG_A  is not set'),
  fc.string({ maxLength: 30 }),
);

test('the index-walking parser reads every line as the plain split-on-newline reading does (property)', () => {
  fc.assert(
    fc.property(fc.array(configLine, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, trailing) => {
      const text = lines.join(eol) + (trailing ? eol : '');
      const config = parseKernelConfig(text);
      const expected = kernelConfigByLines(text);
      // entries in order: the first line naming an option decides where it stands, the last one its value
      assert.deepEqual([...config.options], [...expected.options]);
      assert.equal(config.malformedLines, expected.malformedLines);
      assert.equal(config.headerVersion, expected.headerVersion);
    }),
    { numRuns: 2000 },
  );
});

test('every corpus config reads the same through the index walk as line by line', (t) => {
  const files = corpusConfigs();
  if (!need(t, files.length > 0, 'the kernel config corpus')) return;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    const config = parseKernelConfig(text);
    const expected = kernelConfigByLines(text);
    assert.deepEqual([...config.options], [...expected.options], f);
    assert.equal(config.malformedLines, expected.malformedLines, f);
    assert.equal(config.headerVersion, expected.headerVersion, f);
  }
});

test('rendering options back to config text and re-parsing gives the same options (property)', () => {
  fc.assert(
    fc.property(fc.dictionary(symbol, value, { maxKeys: 40 }), fc.option(fc.stringMatching(/^[0-9][0-9a-z.+-]{0,20}$/), { nil: undefined }), (options, headerVersion) => {
      const entries = Object.entries(options);
      const cfg = parseKernelConfig(renderKernelConfig({ options: new Map(entries), headerVersion }));
      assert.deepEqual([...cfg.options], entries);
      assert.equal(cfg.malformedLines, 0);
      assert.equal(cfg.headerVersion, headerVersion);
    }),
  );
});

test('an option named like an Object.prototype key stays an option and never touches the prototype', () => {
  const cfg = parseKernelConfig('CONFIG___proto__=y\n# CONFIG_constructor is not set\nCONFIG_A=m\n');
  assert.deepEqual([...cfg.options], [['__proto__', 'y'], ['constructor', 'n'], ['A', 'm']]);
  assert.equal(cfg.options.get('toString'), undefined);
  assert.equal(({} as Record<string, unknown>).y, undefined);
});

test('the option count says whether a file held any option at all', () => {
  assert.equal(parseKernelConfig('# comment\nCONFIG_=y\nnot a line\n').options.size, 0);
  assert.equal(parseKernelConfig('CONFIG_A=y\nCONFIG_A=m\n# CONFIG_B is not set\n').options.size, 2);
});
