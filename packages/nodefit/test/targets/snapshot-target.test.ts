import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import zlib from 'node:zlib';
import { runCli } from '../../src/cli/run.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { readSnapshotFile } from '../../src/targets/read-snapshot.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { tempDir } from '../helpers/fixtures.ts';

test('scan -o FILE then --snapshot FILE yields the same facts, and scans are deterministic', async (t) => {
  const dir = tempDir(t);
  const a = path.join(dir, 'a.json');
  const b = path.join(dir, 'b.json');
  assert.equal(await runCli(['scan', '-o', a], memoryIo()), 0);
  assert.equal(await runCli(['scan', '-o', b], memoryIo()), 0);
  assert.equal(fs.readFileSync(a, 'utf8'), fs.readFileSync(b, 'utf8'), 'two scans of the same host are byte-identical');
  const back = readSnapshotFile(a);
  const live = await loadTarget({ base: { kind: 'live' } });
  assert.deepEqual(back.facts, live.facts);
  const io = memoryIo();
  assert.equal(await runCli(['scan', '--snapshot', a], io), 0);
  assert.equal(io.out, fs.readFileSync(a, 'utf8'), 'a snapshot read back and written again is unchanged');
});

test('foreign, damaged and schema-invalid snapshots are refused with one line and exit 2', async (t) => {
  const dir = tempDir(t);
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['not-json.json', '{"kind": "nodefit-snapshot", ', /not valid JSON/],
    ['foreign.json', JSON.stringify({ apiVersion: 'v1', kind: 'Pod' }), /not a nodefit snapshot/],
    ['future.json', JSON.stringify({ kind: 'nodefit-snapshot', schemaVersion: 99 }), /schemaVersion 99 is not supported/],
    ['invalid.json', JSON.stringify({ kind: 'nodefit-snapshot', schemaVersion: 1, tool: { name: 'nodefit', version: '1' } }), /invalid snapshot at/],
    ['binary.json', zlib.gzipSync(Buffer.from('{}')), /not valid JSON/],
  ];
  for (const [name, content, pattern] of cases) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    const io = memoryIo();
    assert.equal(await runCli(['check', '--snapshot', file], io), 2, name);
    assert.match(io.err, pattern, name);
    assert.equal(io.err.trim().split('\n').length, 1, `${name}: one line`);
    assert.ok(io.err.includes(file), `${name}: names the input`);
  }
  const io = memoryIo();
  assert.equal(await runCli(['scan', '--snapshot', path.join(dir, 'missing.json')], io), 2);
  assert.match(io.err, /missing\.json: no such file/);
});

test('scan -o never leaves a half-written file when the target fails', async (t) => {
  const dir = tempDir(t);
  const out = path.join(dir, 'out.json');
  const io = memoryIo();
  assert.equal(await runCli(['scan', '--root', path.join(dir, 'nope'), '-o', out], io), 2);
  assert.equal(fs.existsSync(out), false);
  assert.deepEqual(fs.readdirSync(dir), []);
});
