// Group-commit ingest on SQLite with statements prepared once: the hot path of `nodefit serve`, without building
// and preparing five SQL statements per snapshot. Writes exactly the rows FleetStore's portable path writes.
import type BetterSqlite3 from 'better-sqlite3';
import type { IngestItem, IngestResult } from './fleet-store.ts';
import { digestOf } from './snapshot-digest.ts';

/** Stores a batch in one transaction; results in input order. Synchronous: the caller holds the connection. */
export type IngestBatch = (items: ReadonlyArray<IngestItem>) => IngestResult[];

interface NodeIds {
  id: number;
  latest_snapshot_id: number | null;
}

export function sqliteIngest(sqlite: BetterSqlite3.Database): IngestBatch {
  const nodeByName = sqlite.prepare<[string], NodeIds>('SELECT id, latest_snapshot_id FROM nodes WHERE name = ?');
  const insertNode = sqlite.prepare<[string, string, string], NodeIds>(
    'INSERT INTO nodes (name, first_seen, last_seen, fail, warn, unknown, pass) VALUES (?, ?, ?, 0, 0, 0, 0) RETURNING id, latest_snapshot_id',
  );
  const digestOfSnapshot = sqlite.prepare<[number], { digest: string }>('SELECT digest FROM snapshots WHERE id = ?');
  const touchNode = sqlite.prepare<[string, number]>('UPDATE nodes SET last_seen = ? WHERE id = ?');
  const insertSnapshot = sqlite.prepare<[number, string, string, string], { id: number }>(
    'INSERT INTO snapshots (node_id, received_at, digest, body) VALUES (?, ?, ?, ?) RETURNING id',
  );
  const makeLatest = sqlite.prepare<[string, number, string | null, string | null, string | null, string | null, number]>(
    'UPDATE nodes SET last_seen = ?, latest_snapshot_id = ?, os_id = ?, os_version = ?, arch = ?, kernel_release = ? WHERE id = ?',
  );

  const one = (item: IngestItem): IngestResult => {
    const digest = item.digest ?? digestOf(item.body);
    const at = item.now.toISOString();
    const node = nodeByName.get(item.nodeName) ?? insertNode.get(item.nodeName, at, at);
    if (node === undefined) throw new Error(`node ${item.nodeName} was not stored`);
    if (node.latest_snapshot_id !== null && digestOfSnapshot.get(node.latest_snapshot_id)?.digest === digest) {
      touchNode.run(at, node.id);
      return { nodeId: node.id, snapshotId: node.latest_snapshot_id, duplicate: true };
    }
    const snap = insertSnapshot.get(node.id, at, digest, item.body) as { id: number };
    const s = item.summary;
    makeLatest.run(at, snap.id, s.os.id, s.os.versionId, s.os.arch, s.kernelRelease, node.id);
    return { nodeId: node.id, snapshotId: snap.id, duplicate: false };
  };
  // a batch is all-or-nothing, like the portable path: a failure rolls back every row of it
  const batch = sqlite.transaction((items: ReadonlyArray<IngestItem>) => items.map(one));
  return (items) => {
    // better-sqlite3 would nest into a savepoint of an open transaction, and this batch would then be committed (or
    // rolled back) by someone else: refuse instead of acknowledging uploads that are not yet durable
    if (sqlite.inTransaction) throw new Error('ingest batch started inside another transaction');
    // IMMEDIATE: take the write lock up front, where a busy database is waited for (busy_timeout) instead of failing
    return batch.immediate(items);
  };
}
