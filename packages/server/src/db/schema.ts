// Table shapes shared by SQLite and PostgreSQL: the fleet's nodes, their raw snapshots, and the evaluated findings.
import type { Generated } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

export interface NodesTable {
  id: Generated<number>;
  name: string;
  first_seen: string;
  last_seen: string;
  os_id: string | null;
  os_version: string | null;
  kernel_release: string | null;
  arch: string | null;
  latest_snapshot_id: number | null;
  /** The snapshot the stored findings come from; behind latest_snapshot_id while evaluation is pending. */
  evaluated_snapshot_id: number | null;
  /** Knowledge-base version the findings were computed with; a change re-evaluates the node. */
  kb_version: string | null;
  /** {"workload": "worst outcome", …} as JSON, keys sorted; null until evaluated. */
  cells: string | null;
  fail: number;
  warn: number;
  unknown: number;
  pass: number;
}

export interface SnapshotsTable {
  id: Generated<number>;
  node_id: number;
  received_at: string;
  digest: string;
  body: string;
}

export interface FindingsTable {
  node_id: number;
  check_id: string;
  workload: string;
  outcome: string;
  severity: string;
  message: string;
  /** The finding as JSON (evidence, remediation, references). */
  detail: string;
}

export interface NodeWorkloadsTable {
  node_id: number;
  workload: string;
  /** Worst outcome of the workload's findings on that node. */
  outcome: string;
}

export interface Database {
  meta: MetaTable;
  nodes: NodesTable;
  snapshots: SnapshotsTable;
  findings: FindingsTable;
  node_workloads: NodeWorkloadsTable;
}
