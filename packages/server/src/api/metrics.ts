// Prometheus metrics of the fleet server itself: ingest outcomes and latency, evaluation backlog, fleet size.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly ingested: Counter<'result'>;
  readonly ingestSeconds: Histogram;
  /** Snapshot fields an agent newer than this server sent and the server did not know (drop-unknown-fields.ts). */
  readonly fieldsDropped: Counter;
  readonly nodes: Gauge;
  readonly pending: Gauge;
}

export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nodefit_server_' });
  return {
    registry,
    ingested: new Counter({ name: 'nodefit_snapshots_ingested_total', help: 'Snapshot uploads by result.', labelNames: ['result'], registers: [registry] }),
    fieldsDropped: new Counter({
      name: 'nodefit_snapshot_fields_dropped_total',
      help: 'Fields this server has no schema for (agents newer than the server), dropped from newly stored snapshots.',
      registers: [registry],
    }),
    ingestSeconds: new Histogram({
      name: 'nodefit_ingest_duration_seconds',
      help: 'Time to validate and store one snapshot.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    nodes: new Gauge({ name: 'nodefit_fleet_nodes', help: 'Nodes known to the server.', registers: [registry] }),
    pending: new Gauge({ name: 'nodefit_evaluation_pending', help: 'Nodes whose findings are not yet evaluated.', registers: [registry] }),
  };
}
