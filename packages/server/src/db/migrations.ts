// One set of migrations for both SQLite and PostgreSQL, written with Kysely's schema builder.
import { Migrator, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { DbKind } from './open-database.ts';

/** Auto-increment primary keys differ: SQLite's rowid alias versus PostgreSQL's identity column. */
function withId<T extends string>(t: CreateTableBuilder<T, never>, kind: DbKind): CreateTableBuilder<T, 'id'> {
  return kind === 'sqlite'
    ? t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity());
}

const migrationsFor = (kind: DbKind): Record<string, Migration> => ({
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('meta')
        .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await withId(db.schema.createTable('nodes'), kind)
        .addColumn('name', 'varchar(253)', (c) => c.notNull().unique())
        .addColumn('first_seen', 'varchar(40)', (c) => c.notNull())
        .addColumn('last_seen', 'varchar(40)', (c) => c.notNull())
        .addColumn('os_id', 'varchar(100)')
        .addColumn('os_version', 'varchar(100)')
        .addColumn('kernel_release', 'varchar(200)')
        .addColumn('arch', 'varchar(40)')
        .addColumn('latest_snapshot_id', 'integer')
        .addColumn('evaluated_snapshot_id', 'integer')
        .addColumn('kb_version', 'varchar(100)')
        .addColumn('fail', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('warn', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('unknown', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pass', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await withId(db.schema.createTable('snapshots'), kind)
        .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id').onDelete('cascade'))
        .addColumn('received_at', 'varchar(40)', (c) => c.notNull())
        .addColumn('digest', 'varchar(64)', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('snapshots_node').on('snapshots').column('node_id').execute();
      await db.schema
        .createTable('findings')
        .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id').onDelete('cascade'))
        .addColumn('check_id', 'varchar(200)', (c) => c.notNull())
        .addColumn('workload', 'varchar(200)', (c) => c.notNull())
        .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
        .addColumn('severity', 'varchar(20)', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('findings_node').on('findings').column('node_id').execute();
      await db.schema.createIndex('findings_check').on('findings').columns(['check_id', 'outcome']).execute();
      await db.schema
        .createTable('node_workloads')
        .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id').onDelete('cascade'))
        .addColumn('workload', 'varchar(200)', (c) => c.notNull())
        .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
        .addPrimaryKeyConstraint('node_workloads_pk', ['node_id', 'workload'])
        .execute();
      await db.schema.createIndex('node_workloads_outcome').on('node_workloads').columns(['workload', 'outcome']).execute();
    },
  },
  '0002_node_cells': {
    async up(db: Kysely<unknown>) {
      // each node's worst outcome per workload as one small JSON object, written at evaluation time, so the fleet
      // matrix is one scan of `nodes` instead of a join over nodes × workloads
      await db.schema.alterTable('nodes').addColumn('cells', 'text').execute();
    },
  },
});

export async function migrate(db: Kysely<unknown>, kind: DbKind): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrationsFor(kind)) };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
