// Committed snapshots reach the SQLite database file in the background, not only its write-ahead log.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { FleetStore } from '../../src/db/fleet-store.ts';
import { openDatabase } from '../../src/db/open-database.ts';

test('the checkpoint worker copies committed pages into the database file', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefit-checkpoint-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'fleet.db');
  const errors: string[] = [];
  const opened = await openDatabase(file, (m) => errors.push(m));
  const store = new FleetStore(opened.db, opened.ingestBatch);
  const body = JSON.stringify({ pad: 'x'.repeat(64 * 1024) });
  const before = fs.statSync(file).size;
  // 2 MB: far below the writer's own automatic checkpoint, so only the worker can have moved it
  for (let i = 0; i < 32; i++) {
    await store.ingest(`node-${i}`, body, { os: { id: null, versionId: null, arch: null }, kernelRelease: null }, new Date());
  }
  // generous: the loop ends as soon as the pages are there; only a starved CI machine needs the long tail
  const deadline = Date.now() + 60_000;
  while (fs.statSync(file).size < before + 32 * 64 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(fs.statSync(file).size >= before + 32 * 64 * 1024, 'the snapshots are in the database file');
  await opened.close();
  assert.deepEqual(errors, []);
  // closed cleanly: the last connection folded the WAL into the file and removed it
  assert.equal(fs.existsSync(`${file}-wal`), false);
});
