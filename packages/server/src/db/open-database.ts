// Opens the fleet database from --db: a SQLite file by default (WAL), PostgreSQL for postgres:// URLs.
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import { migrate } from './migrations.ts';

export type DbKind = 'sqlite' | 'postgres';

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly kind: DbKind;
  close(): Promise<void>;
}

export async function openDatabase(url: string): Promise<OpenDatabase> {
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
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db as Kysely<unknown>, 'sqlite');
  return { db, kind: 'sqlite', close: () => db.destroy() };
}
