// The wire lines for module files, dependencies and aliases: sorted by name, paths alone when the name follows from them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { decodeSnapshot, encodeSnapshot } from '../../src/facts/snapshot-codec.ts';
import { known } from '../../src/facts/fact.ts';
import { loadTarget } from '../../src/targets/load-target.ts';
import type { ModuleFile } from '../../src/facts/modules/schema.ts';
import type { Snapshot } from '../../src/facts/snapshot.ts';
import { tempDir } from '../helpers/fixtures.ts';

const SUFFIX = { '.ko': 'none', '.ko.xz': 'xz', '.ko.gz': 'gzip', '.ko.zst': 'zstd' } as const;

/** The wire form by definition: names sorted by code unit; a file line is its path when name and compression follow from it. */
function filesOracle(files: Record<string, ModuleFile>): string[] {
  return Object.keys(files)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((name) => {
      const f = files[name] as ModuleFile;
      const base = f.path.slice(f.path.lastIndexOf('/') + 1);
      const hit = (Object.keys(SUFFIX) as Array<keyof typeof SUFFIX>).find((s) => base.length > s.length && base.endsWith(s));
      const derivedName = (hit === undefined ? base : base.slice(0, base.length - hit.length)).replaceAll('-', '_');
      return derivedName === name && hit !== undefined && SUFFIX[hit] === f.compression ? f.path : `${name}\t${f.compression}\t${f.path}`;
    });
}

function listsOracle(m: Record<string, string[]>, sep: string): string[] {
  return Object.keys(m)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => ((m[k] as string[]).length === 0 ? k + sep.trimEnd() : `${k}${sep}${(m[k] as string[]).join(' ')}`));
}

async function baseSnapshot(t: Parameters<typeof tempDir>[0]): Promise<Snapshot> {
  // hand-made: the smallest module tree, only to get a complete snapshot whose module maps the property replaces
  const dir = path.join(tempDir(t), '9.9.9-x');
  fs.mkdirSync(path.join(dir, 'kernel'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel/a.ko'), '');
  return loadTarget({ base: { kind: 'offline' }, modulesDir: dir });
}

test('module files, deps and aliases encode to the sorted wire lines and decode back (property)', async (t) => {
  const snap = await baseSnapshot(t);
  const name = fc.oneof(fc.stringMatching(/^[a-z0-9_-]{1,10}$/), fc.constantFrom('10', '9', 'a', 'a_b', 'A', 'é', '__proto__', 'constructor'));
  const file = fc.record({
    path: fc.oneof(
      fc.tuple(fc.constantFrom('kernel/', 'updates/dkms/', '', 'kernel/.ko/'), name, fc.constantFrom('.ko', '.ko.xz', '.ko.gz', '.ko.zst', '.ko.bz2', '')).map(([d, n, s]) => d + n + s),
      fc.constantFrom('.ko', 'kernel/.ko', 'x.ko.ko'),
    ),
    compression: fc.constantFrom('none', 'xz', 'gzip', 'zstd' as const),
  }).map((r) => ({ ...r }));
  const files = fc.dictionary(name, file, { maxKeys: 20 }).map((d) => ({ ...d }));
  const lists = fc.dictionary(name, fc.array(name, { maxLength: 4 }), { maxKeys: 20 }).map((d) => ({ ...d }));
  fc.assert(
    fc.property(files, lists, lists, (f, deps, aliases) => {
      const s: Snapshot = { ...snap, facts: { ...snap.facts, modules: { ...snap.facts.modules, files: known(f, 'x'), deps: known(deps, 'x'), aliases: known(aliases, 'x') } } };
      const w = encodeSnapshot(s).facts.modules;
      assert.deepEqual(w.files.state === 'known' && w.files.value, filesOracle(f));
      assert.deepEqual(w.deps.state === 'known' && w.deps.value, listsOracle(deps, ': '));
      assert.deepEqual(w.aliases.state === 'known' && w.aliases.value, listsOracle(aliases, ' '));
      // the decoder drops the names that could reach a prototype (snapshots come from untrusted agents)
      const kept = Object.fromEntries(Object.entries(f).filter(([k]) => !['__proto__', 'constructor', 'prototype'].includes(k)));
      assert.deepEqual(decodeSnapshot(JSON.parse(JSON.stringify(encodeSnapshot(s))) as never).facts.modules.files, known(kept, 'x'));
    }),
    { numRuns: 300 },
  );
});
