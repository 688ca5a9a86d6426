// `nodefit nft-lint FILE`: what a user sees in text, json and sarif, and the exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../src/cli/run.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { KERNEL_CONFIGS_DIR, need, tempDir } from '../helpers/fixtures.ts';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
interface AjvLike {
  addFormat(name: string, check: (s: string) => boolean): unknown;
  compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown };
  errorsText(errors: unknown): string;
}

/** The official SARIF 2.1.0 schema (draft-04, as Microsoft's SARIF SDK ships it), when the dev dependencies are there. */
function sarifValidator(): ((data: unknown) => string | null) | null {
  let Ajv04: new (options: object) => AjvLike;
  let schemaPath: string;
  try {
    Ajv04 = require('ajv-draft-04') as new (options: object) => AjvLike;
    schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  } catch {
    return null;
  }
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'http://base.invalid/'));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object);
  return (data) => (validate(data) ? null : ajv.errorsText(validate.errors));
}

const FIX = path.join(import.meta.dirname, '..', 'nft', 'fixtures');
const DEBIAN12 = path.join(KERNEL_CONFIGS_DIR, 'debian12-6.1.159-1.config');

test('nft-lint on the Submariner ruleset: file:line:col, the rejection, the alternative, exit 1', async (t) => {
  if (!need(t, fs.existsSync(DEBIAN12), 'kernel config corpus')) return;
  const io = memoryIo({}, FIX);
  const code = await runCli(['nft-lint', 'submariner-route-postrouting.nft', '--kernel-config', DEBIAN12], io);
  assert.equal(code, 1);
  assert.match(io.out, /^submariner-route-postrouting\.nft:9:3: error: table ip submariner chain SUBMARINER-POSTROUTING: type route hook postrouting priority -160: the kernel rejects this base chain/m);
  assert.match(io.out, /nearest valid alternative: route chains belong on output .*type filter hook postrouting priority mangle/);
  assert.match(io.out, /1 base chain in 1 file checked against kernel config .*debian12-6\.1\.159-1\.config.*: 1 rejected, 0 unknown, 0 accepted/);
  assert.equal(io.err, '');
});

test('nft-lint --format json lists every base chain with its verdict; a clean ruleset exits 0', async (t) => {
  if (!need(t, fs.existsSync(DEBIAN12), 'kernel config corpus')) return;
  const io = memoryIo({}, FIX);
  assert.equal(await runCli(['nft-lint', 'submariner-fixed.nft', '--kernel-config', DEBIAN12, '--format', 'json'], io), 0);
  const j = JSON.parse(io.out) as { chains: { chain: string; outcome: string; priority: number; at: { file: string; line: number } }[]; summary: unknown };
  assert.deepEqual(j.summary, { pass: 1, fail: 0, unknown: 0 });
  assert.deepEqual(j.chains.map((c) => [c.chain, c.outcome, c.priority, c.at.file, c.at.line]), [['SUBMARINER-POSTROUTING', 'pass', -160, 'submariner-fixed.nft', 4]]);
});

test('nft-lint --format sarif gives SARIF 2.1.0 results with a region per rejected chain, across includes', async (t) => {
  if (!need(t, fs.existsSync(DEBIAN12), 'kernel config corpus')) return;
  const io = memoryIo({}, FIX);
  assert.equal(await runCli(['nft-lint', 'main-with-includes.nft', '--kernel-config', DEBIAN12, '-f', 'sarif'], io), 1);
  const log = JSON.parse(io.out) as { version: string; runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[] }[] };
  assert.equal(log.version, '2.1.0');
  const validate = sarifValidator();
  if (validate !== null) assert.equal(validate(log), null);
  const where = log.runs[0]!.results.map((r) => `${r.ruleId} ${r.level} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}:${r.locations[0]!.physicalLocation.region.startColumn}`);
  assert.deepEqual(where, ['nft-chain-type-hook error parts/nat-a.nft:7:3', 'nft-chain-type-hook error parts/nat-b.nft:2:14']);
});

test('nft-lint: parse errors and bad usage are one line on stderr with exit 2', async (t) => {
  const dir = tempDir(t);
  fs.writeFileSync(path.join(dir, 'broken.nft'), 'table ip t {\n  chain c {\n');
  const io = memoryIo({}, dir);
  assert.equal(await runCli(['nft-lint', 'broken.nft', '--kernel-config', DEBIAN12], io), 2);
  assert.equal(io.err, "nodefit: broken.nft:2:11: chain c: '{' is never closed\n");
  const io2 = memoryIo({}, dir);
  assert.equal(await runCli(['nft-lint', 'nope.nft'], io2), 2);
  assert.match(io2.err, /^nodefit: nope\.nft:1:1: cannot read: .*no such file/i);
  const io3 = memoryIo({}, FIX);
  assert.equal(await runCli(['nft-lint', 'submariner-fixed.nft', '--format', 'html'], io3), 2);
  assert.match(io3.err, /unknown --format "html" for nft-lint/);
  const io4 = memoryIo({}, path.join(FIX, 'cycle'));
  assert.equal(await runCli(['nft-lint', 'a.nft'], io4), 2);
  assert.match(io4.err, /^nodefit: b\.nft:2:1: include cycle: a\.nft -> b\.nft -> a\.nft\n$/);
});
