// The server killed with SIGKILL mid-ingest loses no acknowledged snapshot and keeps no half-written one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { snapshotFor, wire } from './helpers/snapshots.ts';
import { CLI as cli, startServerProcess } from './helpers/server-process.ts';

const TOKEN = 'crash-test-token';

test('SIGKILL mid-ingest: every acknowledged snapshot survives, none is half-written', async (t) => {
  assert.ok(fs.existsSync(cli), 'run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-crash-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = path.join(dir, 'fleet.db');
  const { child, url } = await startServerProcess(db, TOKEN);
  const acknowledged = new Set<string>();
  const bodies = await Promise.all(Array.from({ length: 400 }, (_, i) => snapshotFor(`crash-node-${i}`).then(wire)));
  let next = 0;
  let killed = false;
  // 8 concurrent agents; the server is killed once 150 uploads were acknowledged, while the rest are in flight
  const agent = async (): Promise<void> => {
    while (next < bodies.length) {
      const i = next++;
      try {
        const res = await fetch(`${url}/api/v1/snapshots`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: bodies[i],
        });
        if (res.status === 201) acknowledged.add(`crash-node-${i}`);
        await res.arrayBuffer();
      } catch {
        // connection refused/reset after the kill: not acknowledged, so not counted
      }
      if (!killed && acknowledged.size >= 150) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, agent));
  assert.ok(killed, 'the server was killed mid-ingest');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));

  // restart on the same file: WAL recovery; then every acknowledged node is there with a complete snapshot
  const again = await startServerProcess(db, TOKEN);
  t.after(() => again.child.kill('SIGKILL'));
  const res = await fetch(`${again.url}/api/v1/nodes`);
  const names = new Set(((await res.json()) as { nodes: Array<{ name: string }> }).nodes.map((n) => n.name));
  for (const a of acknowledged) assert.ok(names.has(a), `acknowledged snapshot of ${a} was lost`);
  again.child.kill('SIGKILL');
  const sqlite = new Database(db, { readonly: true });
  t.after(() => sqlite.close());
  const rows = sqlite.prepare('SELECT n.name, s.body FROM nodes n JOIN snapshots s ON s.id = n.latest_snapshot_id').all() as Array<{ name: string; body: string }>;
  for (const r of rows) assert.equal((JSON.parse(r.body) as { target: { hostname: string } }).target.hostname, r.name);
  const orphans = sqlite.prepare('SELECT COUNT(*) AS n FROM nodes WHERE latest_snapshot_id IS NULL').get() as { n: number };
  assert.equal(orphans.n, 0, 'no node row without its snapshot');
  assert.ok(acknowledged.size >= 150);
});
