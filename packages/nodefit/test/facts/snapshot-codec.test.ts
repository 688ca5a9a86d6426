import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { decodeConfig, decodeSnapshot, encodeConfig, encodeSnapshot } from '../../src/facts/snapshot-codec.ts';
import { WireSnapshot } from '../../src/facts/snapshot-wire.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import { readKernelConfigFile } from '../../src/facts/kernel/collect.ts';
import { corpusConfigs, fixtureManifest, need } from '../helpers/fixtures.ts';

test('the live host snapshot survives encode → JSON → decode unchanged', async () => {
  const snap = await loadTarget({ base: { kind: 'live' } });
  const back = decodeSnapshot(WireSnapshot.parse(JSON.parse(JSON.stringify(encodeSnapshot(snap)))));
  assert.deepEqual(back, snap);
});

test('a real Debian 6.12 module tree (files, deps, aliases) round-trips losslessly', async (t) => {
  const tree = fixtureManifest()?.trees['kernel-6.12'];
  if (!need(t, tree !== undefined && fs.existsSync(tree.root), 'the Debian 6.12 kernel tree')) return;
  const dir = path.join(tree!.root, 'lib/modules', tree!.release);
  const snap = await loadTarget({ base: { kind: 'offline' }, modulesDir: dir });
  const files = snap.facts.modules.files;
  assert.equal(files.state, 'known');
  const wire = encodeSnapshot(snap);
  assert.equal(wire.facts.modules.files.state === 'known' && wire.facts.modules.files.value.length, Object.keys(files.state === 'known' ? files.value : {}).length);
  assert.deepEqual(decodeSnapshot(WireSnapshot.parse(JSON.parse(JSON.stringify(wire)))), snap);
});

test('every corpus config round-trips through the wire form', (t) => {
  const configs = corpusConfigs();
  if (!need(t, configs.length > 0, 'the kernel config corpus')) return;
  for (const file of configs) {
    const c = readKernelConfigFile(file);
    assert.equal(c.state, 'known', file);
    if (c.state === 'known') assert.deepEqual(decodeConfig(encodeConfig(c.value)), c.value, file);
  }
});

test('config encoding is lossless for any option names and values (property)', () => {
  const name = fc.stringMatching(/^[A-Z0-9_]{1,40}$/);
  const value = fc.oneof(fc.constantFrom('y', 'm', 'n', '""'), fc.string({ maxLength: 30 }).filter((s) => !s.includes('\n')));
  fc.assert(
    fc.property(fc.dictionary(name, value, { maxKeys: 60 }), (options) => {
      const c = { options: new Map(Object.entries(options)), malformedLines: 0 };
      assert.deepEqual(decodeConfig(encodeConfig(c)), c);
    }),
  );
});

test('options named like Object.prototype keys survive the wire form, as the parser keeps them', () => {
  // hand-made: no real Kconfig symbol is lowercase, but an agent's snapshot is untrusted input
  const c = { options: new Map([['__proto__', 'y'], ['constructor', 'n'], ['toString', 'm'], ['A', 'y']]), malformedLines: 0 };
  const back = decodeConfig(encodeConfig(c));
  assert.deepEqual(back, c);
  assert.equal(back.options.get('prototype'), undefined);
  assert.equal(({} as Record<string, unknown>).y, undefined);
});

test('the shipped snapshot JSON Schema accepts a real scan and rejects a damaged one', async () => {
  const schemaPath = path.resolve(import.meta.dirname, '../../dist/snapshot.schema.json');
  assert.ok(fs.existsSync(schemaPath), 'run `npm run build` first');
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')) as object);
  const wire = encodeSnapshot(await loadTarget({ base: { kind: 'live' } }));
  assert.ok(validate(JSON.parse(JSON.stringify(wire))), JSON.stringify(validate.errors?.[0]));
  const damaged = JSON.parse(JSON.stringify(wire)) as { facts: { kernel: { release: unknown } } };
  damaged.facts.kernel.release = { state: 'maybe' };
  assert.equal(validate(damaged), false);
});
