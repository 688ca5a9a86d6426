// 10,000 snapshots from concurrent agents over loopback: every one stored once, none lost, bad requests harmless.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { bodyFactory, snapshotFor } from './helpers/snapshots.ts';
import { startServerProcess, uploadAll } from './helpers/server-process.ts';

const TOKEN = 'load-test-token';
const NODES = 10_000;

test(`${NODES} snapshots from 32 concurrent agents are all stored, with hostile requests mixed in`, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-load-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'fleet.db');
  const { child, url } = await startServerProcess(db, TOKEN);
  t.after(() => child.kill('SIGKILL'));
  const base = await snapshotFor('template');
  const body = await bodyFactory();
  const first = body('load-0');

  // hostile traffic alongside: no token, wrong token, garbage, oversized
  const hostile = (async () => {
    const results: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r1 = await fetch(`${url}/api/v1/snapshots`, { method: 'POST', body: first });
      const r2 = await fetch(`${url}/api/v1/snapshots`, { method: 'POST', headers: { authorization: 'Bearer nope' }, body: first });
      const r3 = await fetch(`${url}/api/v1/snapshots`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"kind":"nodefit-snapshot"' });
      results.push(r1.status, r2.status, r3.status);
      await Promise.all([r1.arrayBuffer(), r2.arrayBuffer(), r3.arrayBuffer()]);
    }
    const big = await fetch(`${url}/api/v1/snapshots`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'x'.repeat(20 * 1024 * 1024) });
    results.push(big.status);
    return results;
  })();

  const statuses = await uploadAll(url, TOKEN, NODES, (i) => body(`load-${i}`), 32);
  const refused = await hostile;
  assert.deepEqual([...new Set(statuses)], [201], 'every upload acknowledged as stored');
  assert.deepEqual([...new Set(refused)].sort(), [400, 401, 413]);

  // the server keeps serving reads while evaluating in the background
  const nodes = await fetch(`${url}/api/v1/nodes?kernel=${encodeURIComponent(base.facts.kernel.release.state === 'known' ? base.facts.kernel.release.value : '')}`);
  assert.equal(((await nodes.json()) as { nodes: unknown[] }).nodes.length, NODES);
  child.kill('SIGKILL');
  const sqlite = new Database(db, { readonly: true });
  t.after(() => sqlite.close());
  assert.equal((sqlite.prepare('SELECT COUNT(*) AS n FROM nodes').get() as { n: number }).n, NODES);
  assert.equal((sqlite.prepare('SELECT COUNT(DISTINCT node_id) AS n FROM snapshots').get() as { n: number }).n, NODES);
  assert.equal((sqlite.prepare("SELECT COUNT(*) AS n FROM nodes WHERE name NOT LIKE 'load-%'").get() as { n: number }).n, 0, 'no hostile upload was stored');
});
