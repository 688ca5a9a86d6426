// Every read and write the fleet server makes, in one place, identical for SQLite and PostgreSQL.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Report } from 'nodefit';
import type { Database, FindingsTable } from './schema.ts';
import { digestOf } from './snapshot-digest.ts';
import type { IngestBatch } from './sqlite-ingest.ts';

export { digestOf } from './snapshot-digest.ts';

export interface IngestResult {
  readonly nodeId: number;
  readonly snapshotId: number;
  /** The node's latest snapshot had the same content: nothing new was stored (agents retry). */
  readonly duplicate: boolean;
}

export interface NodeRow {
  readonly id: number;
  readonly name: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly osId: string | null;
  readonly osVersion: string | null;
  readonly kernelRelease: string | null;
  readonly arch: string | null;
  readonly evaluated: boolean;
  readonly summary: { readonly fail: number; readonly warn: number; readonly unknown: number; readonly pass: number };
}

export interface NodeFilter {
  readonly os?: string;
  readonly kernel?: string;
  readonly workload?: string;
  readonly outcome?: string;
  readonly names?: readonly string[];
}

export interface MatrixRow {
  readonly node: string;
  readonly osId: string | null;
  readonly kernelRelease: string | null;
  readonly cells: Record<string, string>;
}

const OUTCOME_RANK: Record<string, number> = { fail: 4, warn: 3, unknown: 2, pass: 1, 'not-applicable': 0 };

export function worstOutcome(outcomes: Iterable<string>): string {
  let worst = 'not-applicable';
  for (const o of outcomes) if ((OUTCOME_RANK[o] ?? 0) > (OUTCOME_RANK[worst] ?? 0)) worst = o;
  return worst;
}

/** The one place node filters become SQL: OS, kernel, names, and workload/outcome through node_workloads. */
function whereNodeMatches<O>(query: SelectQueryBuilder<Database, 'nodes', O>, filter: NodeFilter): SelectQueryBuilder<Database, 'nodes', O> {
  let q = query;
  if (filter.os !== undefined) q = q.where('os_id', '=', filter.os);
  if (filter.kernel !== undefined) q = q.where('kernel_release', '=', filter.kernel);
  if (filter.names !== undefined && filter.names.length > 0) q = q.where('name', 'in', [...filter.names]);
  if (filter.workload !== undefined || filter.outcome !== undefined) {
    q = q.where('id', 'in', (eb) => {
      let sub = eb.selectFrom('node_workloads').select('node_id');
      if (filter.workload !== undefined) sub = sub.where('workload', '=', filter.workload);
      if (filter.outcome !== undefined) sub = sub.where('outcome', '=', filter.outcome);
      return sub;
    });
  }
  return q;
}

/** Nodes whose stored findings are stale: a newer snapshot than the evaluated one, or another knowledge-base version. */
function whereStale<O>(query: SelectQueryBuilder<Database, 'nodes', O>, kbVersion: string): SelectQueryBuilder<Database, 'nodes', O> {
  return query.where('latest_snapshot_id', 'is not', null).where((eb) =>
    eb.or([
      eb('evaluated_snapshot_id', 'is', null),
      eb('evaluated_snapshot_id', '!=', eb.ref('latest_snapshot_id')),
      eb('kb_version', 'is', null),
      eb('kb_version', '!=', kbVersion),
    ]),
  );
}

/** A stored finding as the API returns it: the summary columns plus the detail kept for non-passing outcomes. */
function findingFromRow(r: FindingsTable): Record<string, unknown> {
  return {
    checkId: r.check_id,
    workload: r.workload === '' ? null : r.workload,
    outcome: r.outcome,
    severity: r.severity,
    message: r.message,
    ...(JSON.parse(r.detail) as Record<string, unknown>),
  };
}

export interface IngestItem {
  readonly nodeName: string;
  readonly body: string;
  /** digestOf(body), when the caller already has it (computed from the uploaded bytes). */
  readonly digest?: string;
  readonly summary: SnapshotSummary;
  readonly now: Date;
}

export interface SnapshotSummary {
  readonly os: { id: string | null; versionId: string | null; arch: string | null };
  readonly kernelRelease: string | null;
}

export class FleetStore {
  /** @param fastIngest the same writes as ingestMany's portable path, on the raw connection (SQLite) */
  constructor(
    readonly db: Kysely<Database>,
    private readonly fastIngest?: IngestBatch,
  ) {}

  async getMeta(key: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  }

  async setMeta(key: string, value: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('meta').where('key', '=', key).execute();
      await tx.insertInto('meta').values({ key, value }).execute();
    });
  }

  /** Stores one snapshot and makes it the node's latest, atomically: a crash leaves either all of it or nothing. */
  async ingest(nodeName: string, body: string, summary: SnapshotSummary, now: Date): Promise<IngestResult> {
    const [r] = await this.ingestMany([{ nodeName, body, summary, now }]);
    return r as IngestResult;
  }

  /**
   * Stores a batch of snapshots in one transaction (group commit): under many concurrent agents the per-commit cost
   * is paid once per batch, not once per snapshot. Results are in input order.
   */
  async ingestMany(items: ReadonlyArray<IngestItem>): Promise<IngestResult[]> {
    const fast = this.fastIngest;
    // holding Kysely's connection keeps its transactions (evaluations, meta) from interleaving with the batch
    if (fast !== undefined) return this.db.connection().execute(() => new Promise((resolve) => resolve(fast(items))));
    return this.db.transaction().execute(async (tx) => {
      const out: IngestResult[] = [];
      for (const { nodeName, body, summary, now, digest: known } of items) {
        const digest = known ?? digestOf(body);
        const at = now.toISOString();
        let node = await tx.selectFrom('nodes').select(['id', 'latest_snapshot_id']).where('name', '=', nodeName).executeTakeFirst();
        if (node === undefined) {
          node = await tx
            .insertInto('nodes')
            .values({ name: nodeName, first_seen: at, last_seen: at, fail: 0, warn: 0, unknown: 0, pass: 0 })
            .returning(['id', 'latest_snapshot_id'])
            .executeTakeFirstOrThrow();
        } else if (node.latest_snapshot_id !== null) {
          const latest = await tx.selectFrom('snapshots').select('digest').where('id', '=', node.latest_snapshot_id).executeTakeFirst();
          if (latest?.digest === digest) {
            await tx.updateTable('nodes').set({ last_seen: at }).where('id', '=', node.id).execute();
            out.push({ nodeId: node.id, snapshotId: node.latest_snapshot_id, duplicate: true });
            continue;
          }
        }
        const snap = await tx
          .insertInto('snapshots')
          .values({ node_id: node.id, received_at: at, digest, body })
          .returning('id')
          .executeTakeFirstOrThrow();
        await tx
          .updateTable('nodes')
          .set({
            last_seen: at,
            latest_snapshot_id: snap.id,
            os_id: summary.os.id,
            os_version: summary.os.versionId,
            arch: summary.os.arch,
            kernel_release: summary.kernelRelease,
          })
          .where('id', '=', node.id)
          .execute();
        out.push({ nodeId: node.id, snapshotId: snap.id, duplicate: false });
      }
      return out;
    });
  }

  /** Keeps the newest `keep` snapshots per node (history for diffs, bounded storage); run off the ingest path. */
  async prune(keep = 5): Promise<number> {
    const rows = await this.db
      .selectFrom('snapshots as s')
      .select('s.id')
      .where((eb) =>
        eb(
          eb.selectFrom('snapshots as newer').select((e) => e.fn.countAll<number>().as('n')).whereRef('newer.node_id', '=', 's.node_id').whereRef('newer.id', '>', 's.id'),
          '>=',
          keep,
        ),
      )
      .limit(10_000)
      .execute();
    if (rows.length === 0) return 0;
    await this.db.deleteFrom('snapshots').where('id', 'in', rows.map((r) => r.id)).execute();
    return rows.length;
  }

  /** Nodes whose stored findings are stale: a newer snapshot, or another knowledge-base version. */
  async pending(kbVersion: string, limit: number): Promise<Array<{ nodeId: number; snapshotId: number }>> {
    const rows = await whereStale(this.db.selectFrom('nodes').select(['id', 'latest_snapshot_id']), kbVersion)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ nodeId: r.id, snapshotId: r.latest_snapshot_id as number }));
  }

  async pendingCount(kbVersion: string): Promise<number> {
    const r = await whereStale(this.db.selectFrom('nodes').select((eb) => eb.fn.countAll<number>().as('n')), kbVersion)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async snapshotBody(id: number): Promise<string | undefined> {
    const r = await this.db.selectFrom('snapshots').select('body').where('id', '=', id).executeTakeFirst();
    return r?.body;
  }

  /** Replaces a node's findings with a new evaluation, unless a newer snapshot arrived meanwhile. */
  async storeEvaluation(nodeId: number, snapshotId: number, kbVersion: string, report: Report): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const node = await tx.selectFrom('nodes').select('latest_snapshot_id').where('id', '=', nodeId).executeTakeFirst();
      if (node?.latest_snapshot_id !== snapshotId) return;
      await tx.deleteFrom('findings').where('node_id', '=', nodeId).execute();
      await tx.deleteFrom('node_workloads').where('node_id', '=', nodeId).execute();
      const rows = report.findings.map((f) => ({
        node_id: nodeId,
        check_id: f.checkId,
        workload: f.workload ?? '',
        outcome: f.outcome,
        severity: f.severity,
        message: f.message,
        // evidence, remediation and references only where someone acts on them: passing and not-applicable findings
        // are most rows of every evaluation, and their detail would multiply the database by the fleet size
        detail: f.outcome === 'pass' || f.outcome === 'not-applicable' ? '{}' : JSON.stringify({ evidence: f.evidence, remediation: f.remediation, references: f.references }),
      }));
      for (let i = 0; i < rows.length; i += 500) await tx.insertInto('findings').values(rows.slice(i, i + 500)).execute();
      const byWorkload = new Map<string, string[]>();
      for (const f of report.findings) {
        if (f.workload === null) continue;
        const list = byWorkload.get(f.workload) ?? [];
        list.push(f.outcome);
        byWorkload.set(f.workload, list);
      }
      const cells = [...byWorkload].sort(([a], [b]) => (a < b ? -1 : 1)).map(([workload, outs]) => ({ node_id: nodeId, workload, outcome: worstOutcome(outs) }));
      if (cells.length > 0) await tx.insertInto('node_workloads').values(cells).execute();
      const cellsJson = JSON.stringify(Object.fromEntries(cells.map((c) => [c.workload, c.outcome])));
      const s = report.summary;
      await tx
        .updateTable('nodes')
        .set({ evaluated_snapshot_id: snapshotId, kb_version: kbVersion, fail: s.fail, warn: s.warn, unknown: s.unknown, pass: s.pass, cells: cellsJson })
        .where('id', '=', nodeId)
        .execute();
    });
  }

  async listNodes(filter: NodeFilter = {}): Promise<NodeRow[]> {
    const q = whereNodeMatches(this.db.selectFrom('nodes').selectAll(), filter);
    const rows = await q.orderBy('name').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      osId: r.os_id,
      osVersion: r.os_version,
      kernelRelease: r.kernel_release,
      arch: r.arch,
      evaluated: r.evaluated_snapshot_id !== null && r.evaluated_snapshot_id === r.latest_snapshot_id,
      summary: { fail: r.fail, warn: r.warn, unknown: r.unknown, pass: r.pass },
    }));
  }

  async nodeByName(name: string): Promise<NodeRow | undefined> {
    return (await this.listNodes({ names: [name] }))[0];
  }

  async latestSnapshotOf(name: string): Promise<string | undefined> {
    const r = await this.db
      .selectFrom('nodes')
      .innerJoin('snapshots', 'snapshots.id', 'nodes.latest_snapshot_id')
      .select('snapshots.body')
      .where('nodes.name', '=', name)
      .executeTakeFirst();
    return r?.body;
  }

  async findingsOf(nodeId: number): Promise<Array<Record<string, unknown>>> {
    const rows = await this.db.selectFrom('findings').selectAll().where('node_id', '=', nodeId).execute();
    return rows.map(findingFromRow);
  }

  /** Findings across the nodes a filter selects, in one query (a fleet has thousands of nodes), by node name. */
  async findingsAcross(filter: NodeFilter, only: { checkId?: string; outcome?: string } = {}): Promise<Array<Record<string, unknown>>> {
    let q = this.db
      .selectFrom('findings')
      .innerJoin('nodes', 'nodes.id', 'findings.node_id')
      .selectAll('findings')
      .select('nodes.name as node')
      .where('findings.node_id', 'in', whereNodeMatches(this.db.selectFrom('nodes').select('id'), filter));
    if (only.checkId !== undefined) q = q.where('findings.check_id', '=', only.checkId);
    if (only.outcome !== undefined) q = q.where('findings.outcome', '=', only.outcome);
    const rows = await q.orderBy('nodes.name').orderBy('findings.check_id').orderBy('findings.workload').execute();
    return rows.map((r) => ({ node: r.node, ...findingFromRow(r) }));
  }

  /**
   * Nodes × workloads, worst outcome per cell, as the JSON the API returns. One scan of `nodes` (cells are stored as
   * JSON per node at evaluation time), spliced into the response without parsing each row again.
   */
  async matrixJson(filter: NodeFilter = {}): Promise<string> {
    const q = whereNodeMatches(this.db.selectFrom('nodes').select(['name', 'os_id', 'kernel_release', 'cells']), filter);
    const rows = await q.orderBy('name').execute();
    const workloads = (await this.db.selectFrom('node_workloads').select('workload').distinct().orderBy('workload').execute()).map((w) => w.workload);
    const only = filter.workload;
    const parts = rows.map((r) => {
      let cells = r.cells ?? '{}';
      if (only !== undefined) {
        const outcome = (JSON.parse(cells) as Record<string, string>)[only];
        cells = outcome === undefined ? '{}' : JSON.stringify({ [only]: outcome });
      }
      return `{"node":${JSON.stringify(r.name)},"osId":${JSON.stringify(r.os_id)},"kernelRelease":${JSON.stringify(r.kernel_release)},"cells":${cells}}`;
    });
    return `{"workloads":${JSON.stringify(only === undefined ? workloads : workloads.filter((w) => w === only))},"rows":[${parts.join(',')}]}`;
  }

  async matrix(filter: NodeFilter = {}): Promise<{ workloads: string[]; rows: MatrixRow[] }> {
    return JSON.parse(await this.matrixJson(filter)) as { workloads: string[]; rows: MatrixRow[] };
  }

  /** Fleet-wide counts for the dashboard's charts: kernels in use and the most failing checks. */
  async stats(): Promise<{ kernels: Array<{ kernel: string; nodes: number }>; failingChecks: Array<{ checkId: string; nodes: number }>; nodes: number }> {
    const kernels = await this.db
      .selectFrom('nodes')
      .select(['kernel_release', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('kernel_release')
      .orderBy('n', 'desc')
      .execute();
    const failing = await this.db
      .selectFrom('findings')
      .select(['check_id', (eb) => eb.fn.count<number>('node_id').distinct().as('n')])
      .where('outcome', '=', 'fail')
      .groupBy('check_id')
      .orderBy('n', 'desc')
      .limit(20)
      .execute();
    const total = await this.db.selectFrom('nodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return {
      kernels: kernels.map((k) => ({ kernel: k.kernel_release ?? 'unknown', nodes: Number(k.n) })),
      failingChecks: failing.map((f) => ({ checkId: f.check_id, nodes: Number(f.n) })),
      nodes: Number(total.n),
    };
  }

  async snapshotCount(): Promise<number> {
    const r = await this.db.selectFrom('snapshots').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
