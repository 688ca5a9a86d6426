// The background evaluator on a real SQLite fleet database: every pending node ends evaluated or recorded as not
// evaluable, so nothing can hold the queue.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { evaluate } from 'nodefit';
import { FleetStore } from '../../src/db/fleet-store.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { Evaluator } from '../../src/evaluation/evaluator.ts';
import { bodyFactory } from '../helpers/snapshots.ts';

test('nodes whose latest snapshot row is gone are recorded as not evaluable and do not stop the drain', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-eval-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'fleet.db');
  const opened = await openDatabase(file);
  t.after(() => opened.close());
  const store = new FleetStore(opened.db, opened.ingestBatch);
  const body = await bodyFactory();
  const names = Array.from({ length: 12 }, (_, i) => `node-${String(i).padStart(2, '0')}`);
  const summary = { os: { id: 'debian', versionId: '12', arch: 'x86_64' }, kernelRelease: '6.1.0' };
  await store.ingestMany(names.map((n) => ({ nodeName: n, body: body(n), summary, now: new Date() })));

  // the first five nodes (the head of every pending batch, which is ordered by node id) lose their snapshot rows
  const raw = new Database(file);
  raw.prepare("DELETE FROM snapshots WHERE node_id IN (SELECT id FROM nodes WHERE name <= 'node-04')").run();
  raw.close();

  const errors: string[] = [];
  const evaluator = new Evaluator(store, 'kb-1', (s) => evaluate(s), (m) => errors.push(m));
  // batches of four: the first batch holds only nodes without a body
  const done = await evaluator.drain(4);
  assert.equal(done, 12);
  assert.equal(await store.pendingCount('kb-1'), 0);
  assert.equal(evaluator.evaluatedTotal, 7);
  assert.equal(evaluator.failedTotal, 5);
  assert.equal(errors.length, 5);
  assert.match(errors[0]!, /evaluation of snapshot \d+ failed: its stored body is missing/);
});
