// Opens the fleet database from --db: a SQLite file by default (WAL), PostgreSQL for postgres:// URLs.
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import { startCheckpointer } from './checkpointer.ts';
import { migrate } from './migrations.ts';
import { sqliteIngest, type IngestBatch } from './sqlite-ingest.ts';

export type DbKind = 'sqlite' | 'postgres';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DbKind;
  /** SQLite only: group-commit ingest on prepared statements (FleetStore's fast path). */
  readonly ingestBatch?: IngestBatch;
  close(): Promise<void>;
}

export async function openDatabase(url: string, onError: (message: string) => void = () => undefined): Promise<OpenDatabase> {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pg = await import('pg');
    const pool = new pg.default.Pool({ connectionString: url, max: 8 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await migrate(db as Kysely<unknown>, 'postgres');
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const file = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : url;
  const { default: BetterSqlite } = await import('better-sqlite3');
  const sqlite = new BetterSqlite(file);
  // WAL: readers never block the writer; NORMAL sync survives a killed process (not a power cut) without fsync per commit.
  const wal = sqlite.pragma('journal_mode = WAL', { simple: true }) === 'wal';
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db as Kysely<unknown>, 'sqlite');
  // in-memory databases have no WAL to checkpoint
  const checkpointer = wal ? startCheckpointer(sqlite, file, onError) : undefined;
  const batch = sqliteIngest(sqlite);
  return {
    db,
    kind: 'sqlite',
    ingestBatch: (items) => {
      const results = batch(items);
      checkpointer?.nudge();
      return results;
    },
    async close() {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}
