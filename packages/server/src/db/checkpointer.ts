// SQLite WAL checkpoints in a worker thread: with synchronous=NORMAL a commit only appends to the WAL, but the
// automatic checkpoint that follows every ~4 MB copies pages and fsyncs on the committing thread, stalling every
// request behind the disk. Checkpoints never take part in a commit, so what is acknowledged is as durable as before.
// The writer keeps a far larger automatic checkpoint as a backstop: the WAL only starts over when a write begins with
// every frame copied, which a steady stream of commits rarely allows; that checkpoint then finds little left to copy.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

export interface Checkpointer {
  /** Something was committed: checkpoint soon. */
  nudge(): void;
  close(): Promise<void>;
}

/** SQLite's default automatic checkpoint threshold, in pages: what the writer falls back to if the worker fails. */
const DEFAULT_AUTOCHECKPOINT = 1000;
/** The backstop while the worker runs (64 MB of 4 KiB pages). */
const BACKSTOP_AUTOCHECKPOINT = 16 * DEFAULT_AUTOCHECKPOINT;

/**
 * The worker, as plain JavaScript so it runs the same from the bundle and from the sources (workers do not inherit
 * tsx). Its own connection, the writer's sync level (the checkpoint syncs the WAL before copying and the database
 * file after), PASSIVE only: it never takes the write lock, so the server's transactions never see SQLITE_BUSY
 * because of it, and it never waits (busy_timeout 0): a busy checkpoint is tried again at the next nudge.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 0');
let scheduled = false;
const run = () => { scheduled = false; db.pragma('wal_checkpoint(PASSIVE)'); };
const soon = () => { if (!scheduled) { scheduled = true; setImmediate(run); } };
const sweep = setInterval(soon, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return soon();
  clearInterval(sweep);
  db.close();
  parentPort.close();
});
`;

export function startCheckpointer(sqlite: BetterSqlite3.Database, file: string, onError: (message: string) => void = () => undefined): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // the sweep catches writes outside the ingest path (evaluations, pruning), which do not nudge
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs: 1000 } });
  let alive = true;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const fallBack = (why: string) => {
    if (!alive) return;
    alive = false;
    // the WAL must not grow without bound: the committing thread checkpoints again, as SQLite does by default
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    onError(`checkpoint worker stopped (${why}); checkpointing on the main thread`);
  };
  worker.on('error', (e) => fallBack(e.message));
  worker.on('exit', (code) => fallBack(`exit ${code}`));
  worker.unref();
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_AUTOCHECKPOINT}`);
  return {
    nudge() {
      if (alive) worker.postMessage(0);
    },
    async close() {
      if (alive) {
        alive = false;
        // unreferenced, the worker would not keep this process alive long enough to close its connection
        worker.ref();
        worker.postMessage('close');
      }
      await exited;
    },
  };
}
