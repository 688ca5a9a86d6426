// The SQLite ingest fast path writes exactly what FleetStore's portable (Kysely) path writes, batch for batch.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { FleetStore, type IngestItem } from '../../src/db/fleet-store.ts';
import { openDatabase } from '../../src/db/open-database.ts';

const NAMES = ['node-a', 'node-b', 'node-c'];

const item = fc.record({
  node: fc.constantFrom(...NAMES),
  body: fc.constantFrom('{"v":1}', '{"v":2}', '{"v":"ü"}'),
  os: fc.option(fc.constantFrom('debian', 'bottlerocket'), { nil: null }),
  kernel: fc.option(fc.constantFrom('6.1.0', '6.12.0'), { nil: null }),
  t: fc.integer({ min: 0, max: 10_000 }),
});

function toItem(r: { node: string; body: string; os: string | null; kernel: string | null; t: number }): IngestItem {
  return {
    nodeName: r.node,
    body: r.body,
    summary: { os: { id: r.os, versionId: r.os === null ? null : '12', arch: 'x86_64' }, kernelRelease: r.kernel },
    now: new Date(Date.UTC(2026, 0, 1) + r.t * 1000),
  };
}

function tables(file: string): unknown {
  const db = new Database(file, { readonly: true });
  try {
    return {
      nodes: db.prepare('SELECT * FROM nodes ORDER BY id').all(),
      snapshots: db.prepare('SELECT * FROM snapshots ORDER BY id').all(),
    };
  } finally {
    db.close();
  }
}

test('any sequence of batches: same results and same rows as the portable path', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-ingest-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(item, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), async (batches) => {
      run += 1;
      const fastFile = path.join(dir, `fast-${run}.db`);
      const portableFile = path.join(dir, `portable-${run}.db`);
      const fast = await openDatabase(fastFile);
      const portable = await openDatabase(portableFile);
      try {
        assert.ok(fast.ingestBatch !== undefined, 'SQLite has the fast path');
        const fastStore = new FleetStore(fast.db, fast.ingestBatch);
        const portableStore = new FleetStore(portable.db);
        for (const b of batches) {
          const items = b.map(toItem);
          assert.deepEqual(await fastStore.ingestMany(items), await portableStore.ingestMany(items));
        }
      } finally {
        await fast.close();
        await portable.close();
      }
      assert.deepEqual(tables(fastFile), tables(portableFile));
    }),
    { numRuns: 25 },
  );
});

test('a failing batch stores none of its snapshots', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-ingest-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const opened = await openDatabase(path.join(dir, 'fleet.db'));
  t.after(() => opened.close());
  const store = new FleetStore(opened.db, opened.ingestBatch);
  const good = toItem({ node: 'node-a', body: '{}', os: null, kernel: null, t: 0 });
  // a NOT NULL column left null makes the second insert fail inside the transaction
  const bad = { ...good, nodeName: 'node-b', body: null as unknown as string };
  await assert.rejects(store.ingestMany([good, bad]));
  assert.equal(await store.snapshotCount(), 0);
  assert.deepEqual(await store.listNodes(), []);
});
